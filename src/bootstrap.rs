//! First start: when no user exists, create the admin from `EMPIRE_ADMIN_EMAIL` /
//! `EMPIRE_ADMIN_PASSWORD`, or with a generated password printed once to the console.

use anyhow::Context;
use empire_schema::models::{NewUser, User};
use empire_schema::{Db, StoreError};
use rand::Rng;

use crate::auth::{Permission, password};
use crate::config::AuthConfig;

pub async fn ensure_admin(db: &Db, auth: &AuthConfig) -> anyhow::Result<()> {
    if User::count(db).await? > 0 {
        return Ok(());
    }
    let generated = auth.admin_password.is_empty();
    let secret = if generated {
        generate_password()
    } else {
        auth.admin_password.expose().to_owned()
    };
    password::check_strength(&secret).context("EMPIRE_ADMIN_PASSWORD")?;
    let new = NewUser {
        email: auth.admin_email.trim().to_lowercase(),
        name: "admin".into(),
        password_hash: password::hash(secret.clone()).await?,
        permissions: vec![Permission::AdminFull.as_str().to_owned()],
    };
    match User::create(db, new).await {
        Ok(user) if generated => {
            // Printed, never logged: this is the only time the password exists in clear.
            println!(
                "\n  first start: created admin {email}\n  password: {secret}\n  (shown once; log in at POST /api/v1/auth/login)\n",
                email = user.email
            );
        }
        Ok(user) => tracing::info!(email = %user.email, "created the first admin"),
        // Another node created it at the same moment.
        Err(StoreError::Conflict(_)) => {}
        Err(error) => return Err(error).context("cannot create the first admin"),
    }
    Ok(())
}

/// 24 characters from an unambiguous alphabet: about 137 bits.
fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..24)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}
