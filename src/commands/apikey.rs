//! `empire apikey create`: a scoped API key for an existing user, printed once.

use anyhow::{Context, bail};
use chrono::Duration;
use empire_schema::clock::now;
use empire_schema::models::User;

use crate::auth::{Permission, api_key};
use crate::cli::CreateApiKey;
use crate::config::Config;

pub async fn create(config: Config, args: CreateApiKey) -> anyhow::Result<()> {
    let scopes = Permission::parse_list(&args.scopes)
        .map_err(|error| anyhow::anyhow!("--scopes: {error}"))?;
    if scopes.is_empty() {
        bail!("--scopes: name at least one permission");
    }
    let db = super::open_database(&config).await?;
    let email = args.email.trim().to_lowercase();
    let user = User::find_by_email(&db, &email)
        .await?
        .with_context(|| format!("no user with email {email}"))?;
    let held: Vec<Permission> = user
        .permissions
        .0
        .iter()
        .filter_map(|p| p.parse().ok())
        .collect();
    let admin = held.contains(&Permission::AdminFull);
    if let Some(scope) = scopes.iter().find(|scope| !admin && !held.contains(scope)) {
        bail!("--scopes: {email} does not hold {scope}");
    }
    let expires_at = args
        .expires_in_days
        .map(|days| now() + Duration::days(i64::from(days)));
    let (secret, key) = api_key::issue(&db, &user.id, args.name, &scopes, expires_at).await?;
    eprintln!(
        "created API key {} ({}) for {email}; it is shown once:",
        key.id, key.prefix
    );
    println!("{secret}");
    Ok(())
}
