//! The closed vocabularies of the intelligence core that are stored in rows: what a search
//! document is, what an outbox row asks of the index, and the knowledge graph's node and edge kinds.

crate::text_enum! {
    /// The kind of thing a search hit points at; the string form is stored in the index.
    pub enum DocType("document type") {
        ResearchNote = "research_note",
        Article = "article",
        Keyword = "keyword",
        Product = "product",
    }
}

crate::text_enum! {
    /// What a `search_outbox` row asks of every node's index.
    pub enum OutboxOp("outbox operation") {
        Upsert = "upsert",
        Delete = "delete",
    }
}

crate::text_enum! {
    /// What a knowledge-graph node stands for.
    pub enum NodeKind("node kind") {
        Niche = "niche",
        Keyword = "keyword",
        Product = "product",
        /// An affiliate programme (a merchant on a network), as opposed to one of its products.
        Programme = "programme",
        Website = "website",
        Article = "article",
    }
}

crate::text_enum! {
    /// How two graph nodes relate. By convention an edge points from the dependent thing to what
    /// it is about: website/niche `targets` keyword or niche, product/programme `monetises`
    /// niche/website/article, article/website `ranks_for` keyword, niche/website
    /// `competes_with` another of its kind. PageRank follows these directions.
    pub enum EdgeKind("edge kind") {
        Targets = "targets",
        Monetises = "monetises",
        CompetesWith = "competes_with",
        RanksFor = "ranks_for",
    }
}

crate::text_enum! {
    /// What an uploaded file holds, and so which importer reads it.
    pub enum ImportKind("import kind") {
        /// A keyword-tool export (keyword, volume, CPC, difficulty, monthly trend).
        Keywords = "keywords",
        /// An AWIN product feed.
        AwinFeed = "awin_feed",
    }
}

impl NodeKind {
    /// Whether a niche's edges to this kind of node describe the niche when niches are compared
    /// (related niches by weighted overlap).
    pub const fn describes_niches(self) -> bool {
        matches!(
            self,
            NodeKind::Keyword | NodeKind::Product | NodeKind::Programme
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_keep_their_wire_strings() {
        assert_eq!(DocType::ResearchNote.as_str(), "research_note");
        assert_eq!(EdgeKind::CompetesWith.as_str(), "competes_with");
        assert_eq!("delete".parse(), Ok(OutboxOp::Delete));
        let err = "Niche".parse::<NodeKind>().unwrap_err();
        assert_eq!(err.to_string(), "unknown node kind `Niche`");
        assert!("researchNote".parse::<DocType>().is_err());
        assert_eq!("awin_feed".parse(), Ok(ImportKind::AwinFeed));
    }
}
