//! Diesel table definitions shared by both backends (see `migrations/postgres` and `migrations/sqlite`).

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        permissions -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        tokens_valid_after -> BigInt,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        scopes -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    websites (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        niche -> Text,
        domain -> Nullable<Text>,
        status -> Text,
        settings -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        language -> Text,
        status_reason -> Nullable<Text>,
        workflow_id -> Nullable<Text>,
        published_build_id -> Nullable<Text>,
    }
}

diesel::table! {
    leads (id) {
        id -> Text,
        email -> Text,
        quiz_answers -> Text,
        persona -> Nullable<Text>,
        funnel_stage -> Text,
        user_id -> Nullable<Text>,
        website_id -> Nullable<Text>,
        created_at -> Timestamp,
        consent_text -> Text,
        consented_at -> Nullable<Timestamp>,
        token_hash -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        unsubscribed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    lead_events (id) {
        id -> Text,
        lead_id -> Text,
        kind -> Text,
        detail -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    email_messages (id) {
        id -> Text,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        purpose -> Text,
        lead_id -> Nullable<Text>,
        unsubscribe_url -> Nullable<Text>,
        status -> Text,
        provider -> Nullable<Text>,
        provider_message_id -> Nullable<Text>,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    email_suppressions (address) {
        address -> Text,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    workflows (id) {
        id -> Text,
        kind -> Text,
        status -> Text,
        input -> Text,
        state -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tasks (id) {
        id -> Text,
        agent -> Text,
        kind -> Text,
        input -> Text,
        status -> Text,
        priority -> BigInt,
        attempts -> BigInt,
        max_attempts -> BigInt,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamp>,
        idempotency_key -> Nullable<Text>,
        result -> Nullable<Text>,
        error -> Nullable<Text>,
        workflow_id -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        timeout_ms -> BigInt,
        fence -> BigInt,
    }
}

diesel::table! {
    cluster_identity (singleton) {
        singleton -> Integer,
        id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    keywords (id) {
        id -> Text,
        keyword -> Text,
        language -> Text,
        volume -> BigInt,
        cpc_cents -> Nullable<BigInt>,
        currency -> Nullable<Text>,
        difficulty -> Nullable<BigInt>,
        niche -> Nullable<Text>,
        import_key -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    keyword_history (keyword_id, month) {
        keyword_id -> Text,
        month -> Text,
        volume -> BigInt,
    }
}

diesel::table! {
    products (id) {
        id -> Text,
        network -> Text,
        merchant_id -> Text,
        product_id -> Text,
        name -> Text,
        deep_link -> Text,
        price_cents -> BigInt,
        currency -> Text,
        category -> Nullable<Text>,
        in_stock -> Nullable<Bool>,
        import_key -> Text,
        updated_at -> Timestamp,
        image_url -> Nullable<Text>,
    }
}

diesel::table! {
    search_outbox (id) {
        id -> BigInt,
        doc_id -> Text,
        doc_type -> Text,
        op -> Text,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kg_nodes (id) {
        id -> Text,
        kind -> Text,
        label -> Text,
        props -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    kg_edges (from_id, to_id, kind) {
        from_id -> Text,
        to_id -> Text,
        kind -> Text,
        weight -> Double,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    llm_calls (id) {
        id -> Text,
        created_at -> Timestamp,
        provider -> Text,
        model -> Text,
        task_id -> Nullable<Text>,
        agent -> Nullable<Text>,
        website_id -> Nullable<Text>,
        input_tokens -> BigInt,
        output_tokens -> BigInt,
        usage_estimated -> Bool,
        latency_ms -> BigInt,
        outcome -> Text,
        cost_micro_eur -> BigInt,
        priced_by_default -> Bool,
        streamed -> Bool,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    llm_budgets (scope, subject) {
        scope -> Text,
        subject -> Text,
        micro_eur_per_day -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    llm_reservations (id) {
        id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        agent -> Nullable<Text>,
        website_id -> Nullable<Text>,
        micro_eur -> BigInt,
    }
}

diesel::table! {
    rate_buckets (key) {
        key -> Text,
        tokens -> Double,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    research_notes (id) {
        id -> Text,
        topic -> Text,
        language -> Text,
        body -> Text,
        created_at -> Timestamp,
        task_id -> Nullable<Text>,
    }
}

diesel::table! {
    pages (id) {
        id -> Text,
        website_id -> Text,
        slug -> Text,
        kind -> Text,
        article_type -> Nullable<Text>,
        keyword -> Text,
        category -> Nullable<Text>,
        title -> Text,
        meta_description -> Text,
        markdown -> Text,
        products -> Text,
        faq -> Text,
        position -> BigInt,
        ai_generated -> Bool,
        monetised -> Bool,
        written -> Bool,
        signature -> Nullable<Text>,
        audit -> Nullable<Text>,
        edited_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    site_builds (id) {
        id -> Text,
        website_id -> Text,
        status -> Text,
        pages -> BigInt,
        files -> BigInt,
        bytes -> BigInt,
        gate_passed -> Nullable<Bool>,
        report -> Text,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    offers (id) {
        id -> Text,
        network -> Text,
        niche -> Text,
        name -> Text,
        url -> Text,
        advertiser_id -> Nullable<Text>,
        product_id -> Nullable<Text>,
        price_cents -> Nullable<BigInt>,
        currency -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    links (code) {
        code -> Text,
        website_id -> Text,
        page_id -> Text,
        offer_id -> Text,
        target_url -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    clicks (id) {
        id -> Text,
        code -> Text,
        website_id -> Text,
        page_id -> Text,
        offer_id -> Text,
        referrer -> Nullable<Text>,
        clicked_at -> Timestamp,
    }
}

diesel::table! {
    conversions (id) {
        id -> Text,
        network -> Text,
        external_id -> Text,
        order_id -> Nullable<Text>,
        status -> Text,
        commission_cents -> BigInt,
        sale_cents -> Nullable<BigInt>,
        currency -> Text,
        link_code -> Nullable<Text>,
        website_id -> Nullable<Text>,
        page_id -> Nullable<Text>,
        offer_id -> Nullable<Text>,
        occurred_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    conversion_events (network, event_key) {
        network -> Text,
        event_key -> Text,
        event -> Text,
        conversion_id -> Nullable<Text>,
        received_at -> Timestamp,
    }
}

diesel::table! {
    page_views (website_id, path, day) {
        website_id -> Text,
        path -> Text,
        day -> Text,
        views -> BigInt,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        url -> Text,
        events -> Text,
        secret -> Text,
        created_at -> Timestamp,
        failing_since -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        last_status -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_uploads (id) {
        id -> Text,
        kind -> Text,
        file_name -> Text,
        byte_size -> BigInt,
        chunk_count -> BigInt,
        sha256 -> Nullable<Text>,
        task_id -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_upload_chunks (upload_id, seq) {
        upload_id -> Text,
        seq -> BigInt,
        bytes -> Binary,
    }
}

diesel::table! {
    schedules (id) {
        id -> Text,
        name -> Text,
        cron -> Text,
        timezone -> Text,
        target -> Text,
        agent -> Nullable<Text>,
        kind -> Text,
        input -> Text,
        overlap -> Text,
        catch_up_s -> BigInt,
        paused -> Bool,
        next_run_at -> Nullable<Timestamp>,
        last_run_at -> Nullable<Timestamp>,
        last_task_id -> Nullable<Text>,
        last_workflow_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(api_keys -> users (user_id));
diesel::joinable!(leads -> users (user_id));
diesel::joinable!(leads -> websites (website_id));
diesel::joinable!(lead_events -> leads (lead_id));
diesel::joinable!(email_messages -> leads (lead_id));
diesel::joinable!(tasks -> workflows (workflow_id));
diesel::joinable!(keyword_history -> keywords (keyword_id));
diesel::joinable!(pages -> websites (website_id));
diesel::joinable!(site_builds -> websites (website_id));
diesel::joinable!(links -> pages (page_id));
diesel::joinable!(links -> offers (offer_id));
diesel::joinable!(import_upload_chunks -> import_uploads (upload_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    api_keys,
    websites,
    leads,
    lead_events,
    email_messages,
    email_suppressions,
    workflows,
    tasks,
    keywords,
    keyword_history,
    products,
    search_outbox,
    kg_nodes,
    kg_edges,
    llm_calls,
    llm_budgets,
    llm_reservations,
    rate_buckets,
    research_notes,
    pages,
    site_builds,
    offers,
    links,
    clicks,
    conversions,
    conversion_events,
    page_views,
    webhook_subscriptions,
    webhook_deliveries,
    import_uploads,
    import_upload_chunks,
    schedules,
);
