//! The bare fan-out baseline: actix-web + actix-ws with 2 workers, no auth, no filters, no
//! store. `GET /ws` joins a tokio broadcast channel (one task per socket, the idiomatic way);
//! `POST /event` with `{"task_id": …}` sends every socket the frame the dashboards' readers wait
//! for.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde::Deserialize;
use tokio::sync::broadcast;

type Bus = broadcast::Sender<bytestring::ByteString>;

#[derive(Deserialize)]
struct NewEvent {
    task_id: String,
}

async fn socket(
    request: HttpRequest,
    body: web::Payload,
    bus: web::Data<Bus>,
) -> actix_web::Result<HttpResponse> {
    let (response, mut session, _stream) = actix_ws::handle(&request, body)?;
    let mut events = bus.subscribe();
    actix_web::rt::spawn(async move {
        loop {
            match events.recv().await {
                Ok(frame) => {
                    if session.text(frame).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    });
    Ok(response)
}

async fn event(body: web::Json<NewEvent>, bus: web::Data<Bus>) -> HttpResponse {
    let frame = serde_json::json!({"type": "task_queued", "task_id": body.task_id}).to_string();
    let _ = bus.send(frame.into());
    HttpResponse::Accepted().finish()
}

pub fn serve() {
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let (bus, _) = broadcast::channel::<bytestring::ByteString>(1024);
        let bus = web::Data::new(bus);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(bus.clone())
                .route("/ws", web::get().to(socket))
                .route("/event", web::post().to(event))
        })
        .workers(2)
        .bind(("127.0.0.1", 0))
        .unwrap();
        let port = server.addrs()[0].port();
        eprintln!("bare baseline listening port={port}");
        server.run().await.unwrap();
    });
}
