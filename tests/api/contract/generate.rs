//! proptest strategies from the JSON Schemas of `/openapi.json`: values the schema allows, and
//! the same values broken one field at a time (wrong type, missing, unknown), for the fuzz test.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::strategy::{BoxedStrategy, Just, Union};
use serde_json::{Map, Value};

/// Resolves `#/components/schemas/…` against the document.
pub struct Schemas<'a> {
    pub document: &'a Value,
}

impl Schemas<'_> {
    fn resolve<'s>(&'s self, schema: &'s Value) -> &'s Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(pointer) => self
                .document
                .pointer(pointer.trim_start_matches('#'))
                .unwrap_or(&Value::Null),
            None => schema,
        }
    }

    /// A value `schema` accepts.
    pub fn valid(&self, schema: &Value) -> BoxedStrategy<Value> {
        let schema = self.resolve(schema);
        for combinator in ["oneOf", "anyOf"] {
            if let Some(branches) = schema[combinator].as_array() {
                return union(branches.iter().map(|branch| self.valid(branch)).collect());
            }
        }
        if let Some(values) = schema["enum"].as_array() {
            return select(values.clone()).boxed();
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(kind) => vec![kind.as_str()],
            Value::Array(kinds) => kinds.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.is_empty() {
            return any_json();
        }
        let generated = union(
            types
                .into_iter()
                .map(|kind| self.of_type(kind, schema))
                .collect(),
        );
        match schema.get("example") {
            Some(example) => prop_oneof![1 => Just(example.clone()), 3 => generated].boxed(),
            None => generated,
        }
    }

    /// A value `schema` most likely rejects: broken whole, or in one field.
    pub fn invalid(&self, schema: &Value) -> BoxedStrategy<Value> {
        let valid = self.valid(schema);
        prop_oneof![
            1 => any_json(),
            2 => (valid.clone(), any::<Index>(), any_json()).prop_map(|(mut value, index, junk)| {
                if let Some((map, key)) = pick_field(&mut value, index) {
                    map.insert(key, junk);
                }
                value
            }),
            1 => (valid.clone(), any::<Index>()).prop_map(|(mut value, index)| {
                if let Some((map, key)) = pick_field(&mut value, index) {
                    map.remove(&key);
                }
                value
            }),
            1 => valid.prop_map(|mut value| {
                if let Value::Object(map) = &mut value {
                    map.insert("unexpected_field".into(), Value::Bool(true));
                }
                value
            }),
        ]
        .boxed()
    }

    fn of_type(&self, kind: &str, schema: &Value) -> BoxedStrategy<Value> {
        match kind {
            "null" => Just(Value::Null).boxed(),
            "boolean" => any::<bool>().prop_map(Value::from).boxed(),
            "integer" => {
                let min = schema["minimum"].as_i64().unwrap_or(-1_000_000);
                let max = schema["maximum"].as_i64().unwrap_or(1_000_000);
                (min..=max).prop_map(Value::from).boxed()
            }
            "number" => (-1e6f64..1e6).prop_map(Value::from).boxed(),
            "string" => string(schema),
            "array" => {
                let min = limit(schema, "minItems", 0);
                let max = limit(schema, "maxItems", min + 3).min(min + 3);
                proptest::collection::vec(self.valid(&schema["items"]), min..=max)
                    .prop_map(Value::Array)
                    .boxed()
            }
            _ => self.object(schema),
        }
    }

    fn object(&self, schema: &Value) -> BoxedStrategy<Value> {
        let Some(properties) = schema["properties"].as_object() else {
            return proptest::collection::btree_map("[a-z_]{1,8}", any_json(), 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect()))
                .boxed();
        };
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut object = Just(Map::new()).boxed();
        for (name, property) in properties {
            let name = name.clone();
            let value = if required.contains(&name.as_str()) {
                self.valid(property).prop_map(Some).boxed()
            } else {
                proptest::option::of(self.valid(property)).boxed()
            };
            object = (object, value)
                .prop_map(move |(mut map, value)| {
                    if let Some(value) = value {
                        map.insert(name.clone(), value);
                    }
                    map
                })
                .boxed();
        }
        object.prop_map(Value::Object).boxed()
    }
}

fn string(schema: &Value) -> BoxedStrategy<Value> {
    match schema["format"].as_str() {
        Some("uuid") => {
            return any::<u128>()
                .prop_map(|bits| Value::from(uuid::Uuid::from_u128(bits).to_string()))
                .boxed();
        }
        Some("date-time") => return Just(Value::from("2026-12-01T13:59:55Z")).boxed(),
        _ => {}
    }
    let min = limit(schema, "minLength", 0);
    let max = limit(schema, "maxLength", min + 24).min(min + 24);
    // The only pattern the document uses is `\S`: start with a non-space.
    let regex = if schema["pattern"].is_string() {
        format!(
            "[a-zA-Z0-9@.][a-zA-Z0-9@._ -]{{{},{}}}",
            min.saturating_sub(1),
            max.saturating_sub(1)
        )
    } else {
        format!("[a-zA-Z0-9@._ -]{{{min},{max}}}")
    };
    proptest::string::string_regex(&regex)
        .expect("a string regex")
        .prop_map(Value::from)
        .boxed()
}

fn limit(schema: &Value, key: &str, default: usize) -> usize {
    schema[key]
        .as_u64()
        .and_then(|limit| usize::try_from(limit).ok())
        .unwrap_or(default)
}

fn pick_field(value: &mut Value, index: Index) -> Option<(&mut Map<String, Value>, String)> {
    let Value::Object(map) = value else {
        return None;
    };
    if map.is_empty() {
        return None;
    }
    let key = map.keys().nth(index.index(map.len()))?.clone();
    Some((map, key))
}

fn union(strategies: Vec<BoxedStrategy<Value>>) -> BoxedStrategy<Value> {
    Union::new(strategies).boxed()
}

/// Any small JSON value.
pub fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z ]{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,6}", inner, 0..3)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
    .boxed()
}
