//! The bare fan-out baseline: actix-web + actix-ws with 2 workers, no auth, no filters, no
//! store. `GET /ws` joins a tokio broadcast channel (one task per socket, the idiomatic way,
//! which also answers pings and ends on the client's close);
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
    let (response, mut session, mut incoming) = actix_ws::handle(&request, body)?;
    let mut events = bus.subscribe();
    actix_web::rt::spawn(async move {
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Ok(frame) => {
                        if session.text(frame).await.is_err() {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                // The client's close (or a dropped connection) ends the socket, so a server
                // that outlives one round does not keep the last round's sockets open.
                message = incoming.recv() => match message {
                    Some(Ok(actix_ws::Message::Ping(bytes))) => {
                        if session.pong(&bytes).await.is_err() {
                            return;
                        }
                    }
                    Some(Ok(actix_ws::Message::Close(_)) | Err(_)) | None => {
                        let _ = session.close(None).await;
                        return;
                    }
                    Some(Ok(_)) => {}
                },
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
