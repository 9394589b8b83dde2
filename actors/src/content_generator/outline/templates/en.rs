//! English article templates.

use super::{SlugAffix, Template, Wording};

pub(in super::super) static REVIEW: Template = Template {
    markers: &["review", "test"],
    plain: Wording {
        titles: &[
            "{K} Review: Is It Worth It? Our Honest Verdict",
            "{K} Review: Is It Worth It?",
            "{K} Review",
        ],
        descriptions: &[
            "Our {k} review covers features, everyday performance, pros and cons and price, so you can decide whether it is worth your money.",
        ],
    },
    marked: Wording {
        titles: &[
            "{K}: Is It Worth It? Our Honest Verdict",
            "{K}: Is It Worth It?",
            "{K}",
        ],
        descriptions: &[
            "{K}: features, everyday performance, pros and cons and price, so you can decide whether it is worth your money.",
        ],
    },
    slug_affix: SlugAffix::Suffix("review"),
    outline: &[
        (2, "{K} at a Glance"),
        (2, "Who Is It For?"),
        (2, "Features and Specifications"),
        (3, "Design and Build Quality"),
        (3, "Performance in Everyday Use"),
        (2, "Pros and Cons"),
        (2, "Price and Value for Money"),
        (2, "Alternatives Worth Considering"),
        (2, "Frequently Asked Questions"),
        (2, "Verdict: Our Rating"),
    ],
};

pub(in super::super) static COMPARISON: Template = Template {
    markers: &["comparison", "compare", "vs", "versus"],
    plain: Wording {
        titles: &[
            "{K} Compared: Which One Should You Choose?",
            "{K} Compared: Which Is Best?",
            "{K} Compared",
        ],
        descriptions: &[
            "We compare {k} side by side: features, prices, strengths and weaknesses, so you can see which option fits your needs and budget.",
        ],
    },
    marked: Wording {
        titles: &[
            "{K}: Which One Should You Choose?",
            "{K}: Which Is Best?",
            "{K}",
        ],
        descriptions: &[
            "{K} side by side: features, prices, strengths and weaknesses, so you can see which option fits your needs and budget.",
        ],
    },
    slug_affix: SlugAffix::Suffix("comparison"),
    outline: &[
        (2, "{K}: The Contenders at a Glance"),
        (2, "How We Compared"),
        (2, "Comparison Table"),
        (2, "Head-to-Head"),
        (3, "Features"),
        (3, "Price and Value"),
        (3, "Ease of Use"),
        (3, "Support and Warranty"),
        (2, "Which One Is Right for You?"),
        (2, "Frequently Asked Questions"),
        (2, "Conclusion"),
    ],
};

pub(in super::super) static GUIDE: Template = Template {
    markers: &["guide", "how to", "tutorial"],
    plain: Wording {
        titles: &[
            "{K}: The Complete Guide for Beginners",
            "{K}: The Complete Guide",
            "{K} Guide",
        ],
        descriptions: &[
            "Everything you need to know about {k}: the basics, step-by-step instructions, common mistakes to avoid and practical tips.",
        ],
    },
    marked: Wording {
        titles: &[
            "{K}: Step by Step for Beginners",
            "{K}: Step by Step",
            "{K}",
        ],
        descriptions: &[
            "{K}: the basics, step-by-step instructions, common mistakes to avoid and practical tips, explained for beginners.",
        ],
    },
    slug_affix: SlugAffix::Suffix("guide"),
    outline: &[
        (2, "{K}: The Basics"),
        (2, "Why It Matters"),
        (2, "What You Need"),
        (2, "Step-by-Step Instructions"),
        (3, "Step 1: Preparation"),
        (3, "Step 2: Putting It into Practice"),
        (3, "Step 3: Checking and Fine-Tuning"),
        (2, "Common Mistakes to Avoid"),
        (2, "Tips from Experience"),
        (2, "Frequently Asked Questions"),
        (2, "Conclusion"),
    ],
};

pub(in super::super) static LISTICLE: Template = Template {
    markers: &["best", "top"],
    plain: Wording {
        titles: &[
            "The Best {K}: Our Top Picks Compared",
            "The Best {K}: Top Picks",
            "Best {K}",
        ],
        descriptions: &[
            "Looking for the best {k}? We compared the top options on quality, features and price. Here are our picks for every need and budget.",
        ],
    },
    marked: Wording {
        titles: &["{K}: Our Top Picks Compared", "{K}: Top Picks", "{K}"],
        descriptions: &[
            "{K}: we compared the top options on quality, features and price. Here are our picks for every need and budget.",
        ],
    },
    slug_affix: SlugAffix::Prefix("best"),
    outline: &[
        (2, "Our Top Picks at a Glance"),
        (2, "How We Chose"),
        (2, "The Picks in Detail"),
        (3, "1. Best Overall"),
        (3, "2. Best Value for Money"),
        (3, "3. Best for Beginners"),
        (3, "4. Premium Pick"),
        (2, "{K} Buying Guide: What to Look For"),
        (2, "Frequently Asked Questions"),
        (2, "Conclusion"),
    ],
};
