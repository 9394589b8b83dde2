//! `empire user create`: adds a user with an Argon2id password hash.

use anyhow::{Context, bail};
use empire_schema::StoreError;
use empire_schema::models::{NewUser, User};

use crate::auth::{Permission, password};
use crate::cli::CreateUser;
use crate::config::Config;

pub async fn create(config: Config, args: CreateUser) -> anyhow::Result<()> {
    let email = args.email.trim().to_lowercase();
    if !looks_like_email(&email) {
        bail!("--email `{email}` is not an email address");
    }
    let permissions = if args.admin {
        vec![Permission::AdminFull]
    } else {
        Permission::parse_list(
            args.permissions
                .as_deref()
                .unwrap_or("agents.read,websites.read"),
        )
        .map_err(|error| anyhow::anyhow!("--permissions: {error}"))?
    };
    let secret = match std::env::var("EMPIRE_USER_PASSWORD") {
        Ok(secret) => secret,
        Err(_) => prompt_password()?,
    };
    password::check_strength(&secret)?;

    let db = super::open_database(&config).await?;
    let name = args
        .name
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
    let new = NewUser {
        email: email.clone(),
        name,
        password_hash: password::hash(secret).await?,
        permissions: permissions.iter().map(|p| p.as_str().to_owned()).collect(),
    };
    let user = match User::create(&db, new).await {
        Err(StoreError::Conflict(_)) => bail!("a user with email {email} already exists"),
        other => other.context("cannot create the user")?,
    };
    let shown: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
    println!(
        "created user {} <{}> with {}",
        user.id,
        user.email,
        shown.join(",")
    );
    Ok(())
}

fn prompt_password() -> anyhow::Result<String> {
    let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
    let second =
        rpassword::prompt_password("Repeat password: ").context("cannot read the password")?;
    if first != second {
        bail!("the passwords differ");
    }
    Ok(first)
}

fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}
