//! The languages empire writes, analyses and indexes: one type for content, NLP, search and rows.

crate::text_enum! {
    /// A language empire supports; its string form (`en`, `de`) is the ISO 639-1 code.
    pub enum Language("language") {
        En = "en",
        De = "de",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_keep_their_codes() {
        assert_eq!("de".parse(), Ok(Language::De));
        assert_eq!(serde_json::to_value(Language::En).unwrap(), "en");
        assert!("EN".parse::<Language>().is_err());
        assert!("fr".parse::<Language>().is_err());
    }
}
