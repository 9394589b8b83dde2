//! English sentence pools. `{k}` is the keyword; `[a|b]` picks one alternative per page.

use super::{Description, Facts, Headings, Lead, Pools};

pub(in super::super) static EN: Pools = Pools {
    intro: &[
        "This [page|article] is about {k}. [We explain|You will learn] what [really matters|counts most] and how to [decide|choose] with confidence.",
        "[Are you looking into|Thinking about] {k}? [Here you find|This page gives you] a clear overview [without jargon|in plain words].",
        "{k} [raises many questions|can feel confusing at first]. [We sort out|This article sorts out] the [key points|essentials] step by step.",
        "[Good decisions|Smart choices] about {k} start with [the right questions|a clear plan]. [Let us|We] go through them [together|one by one].",
    ],
    with_keyword: &[
        "With {k}, [small details|little things] [make a big difference|decide a lot] in [daily use|everyday life].",
        "[Many readers|A lot of people] ask about {k} [before they buy|before they decide]. [The short answer|Our answer]: it depends on your needs.",
        "[Think about|Ask yourself] how often you will use {k} and [which features|what] you would [really|actually] miss.",
        "[Prices|Offers] for {k} [change often|vary a lot], so [compare the whole package|look at the full value], not just the price tag.",
        "{k} [suits|fits] some people better than others. [Be honest about|Look at] your own [habits|routine] first.",
        "[A good start|The first step] with {k} is a short list of [must-haves|things you need] and [nice-to-haves|things you could skip].",
        "[When you compare|Comparing] {k}, [keep|write down] the same [criteria|points] for every option.",
        "[Do not rush|Take your time] with {k}. A [calm|careful] look now [saves money|avoids regret] later.",
        "For {k}, [warranty and service|service and warranty] [matter|count] as much as the [features|specs].",
        "[Reviews from owners|Reports from real users] help you judge {k} [beyond|past] the [marketing|advertising].",
    ],
    general: &[
        "[Take your time here.|Go slowly here.] [A little|Some] planning now saves [frustration|trouble] later.",
        "Keep your own [priorities|needs] in mind. What [matters|counts] to others [may not matter|may mean little] to you.",
        "If something is unclear, compare two or three options side by side.",
        "Check the small print [as well|too]: delivery times, returns and spare parts are easy to [overlook|miss].",
        "A [sensible|good] choice [balances|weighs] quality, comfort and price.",
        "Think about [care|upkeep] before you [commit|buy]. Cleaning and [spare parts|repairs] cost time and money.",
        "Trust your own judgement. The best choice fits your [needs|life] and your budget.",
        "[Simple|Plain] features [often|usually] last longer than [fancy|clever] extras.",
        "[Make a list|Write down] what you [need|want] before you [look at offers|start to shop].",
        "Set a budget [first|early] and [stick to it|keep to it].",
        "[Ask|Talk to] friends who [own one|have tried it]. Their [experience|advice] is [worth a lot|valuable].",
        "[Measure|Check] the space you have. Size [matters|counts] more than [most people|many] expect.",
        "[Read|Check] the manual [online|in advance] if you can. It shows how easy [daily use|the handling] is.",
        "Look at the [running costs|costs over time], not only the price [today|at the start].",
        "[Quiet|Calm] and [easy|simple] handling [often|usually] matters more than one more [feature|button].",
        "[A longer warranty|Good support] is a [good sign|plus] for [quality|build quality].",
    ],
    closing: &[
        "[More articles|More guides] on this topic are on {link}.",
        "[Read on|Find more] on {link}.",
        "[For more help|If you want more], visit {link}.",
    ],
    lead: Lead {
        review: "[In this review|Here] we look at {k} [in detail|closely]: [strengths|good points], [weak spots|limits] and value.",
        comparison: "[This comparison|Here we] put {k} side by side, so [differences|the gaps] [become clear|are easy to see].",
        listicle: "[This list|Our list] [gathers|collects] [options|choices] for {k} and [says|shows] who each one suits.",
        guide: "[This guide|Here we] explain {k} [step by step|in clear steps], from the [basics|start] to the [details|fine points].",
        category: "[This section|Here you find] [collects|gathers] our articles on {k}: reviews, comparisons and guides.",
        home: "[Welcome|Hello and welcome]! [This site|Here we] [covers|cover] {k} [in depth|in detail]: [reviews, comparisons and guides|guides, lists and reviews].",
    },
    headings: Headings {
        facts_review: "Price and Product Data",
        facts_comparison: "Comparison Table",
        facts_listicle: "The Products in This List",
        category: &[
            "What This Section Covers",
            "How to Use These Articles",
            "What to Look For",
            "Before You Buy",
        ],
        home: &[
            "What You Will Find Here",
            "Our Topics",
            "How to Use This Site",
            "Before You Buy",
        ],
        read_next: "Read Next",
        skip: &["Frequently Asked Questions", "Comparison Table"],
    },
    facts: Facts {
        price: "{name} is listed at {price}.",
        no_price: "{name} is listed without a price.",
        source: "Source: {source}.",
        note: "Prices come from the sources named and may change.",
        table_head: "| Product | Price | Source |",
        no_price_cell: "not listed",
    },
    faq: &[
        (
            "What should I look for in {k}?",
            "Write down what you need, compare the same points for each option, and check warranty and running costs.",
        ),
        (
            "Is the cheapest {k} a good choice?",
            "Sometimes. Look at the full cost over time, including care, spare parts and service.",
        ),
        (
            "How do I find the right {k}?",
            "Start with your budget and your main use, then compare two or three options side by side.",
        ),
    ],
    description: Description {
        category: "{K}: reviews, comparisons and guides in one place. Find what fits your needs.",
        home: "{S}: everything about {k}, with reviews, comparisons, buying guides and tips.",
    },
};
