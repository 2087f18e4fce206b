//! Value codec: a 1-byte format tag, then JSON. New fields with `#[serde(default)]` need no
//! migration; a different tag would mean a different encoding.

use serde::{de::DeserializeOwned, Serialize};

use super::{StoreError, TreeId};

const TAG_JSON: u8 = 1;

pub fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = vec![TAG_JSON];
    // Serialising plain structs of strings and numbers into memory cannot fail.
    serde_json::to_writer(&mut out, v).expect("storage structs serialise");
    out
}

pub fn decode<T: DeserializeOwned>(
    tree: TreeId,
    key: &[u8],
    bytes: &[u8],
) -> Result<T, StoreError> {
    match bytes.split_first() {
        Some((&TAG_JSON, rest)) => {
            serde_json::from_slice(rest).map_err(|e| StoreError::corrupt(tree.name(), key, e))
        }
        Some((tag, _)) => Err(StoreError::corrupt(
            tree.name(),
            key,
            format!("unknown format tag {tag}"),
        )),
        None => Err(StoreError::corrupt(tree.name(), key, "empty value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct V1 {
        a: u32,
    }
    #[derive(serde::Deserialize, PartialEq, Debug)]
    struct V2 {
        a: u32,
        #[serde(default)]
        b: Option<String>,
    }

    #[test]
    fn values_round_trip_and_grow_new_fields() {
        let bytes = encode(&V1 { a: 7 });
        assert_eq!(bytes[0], TAG_JSON);
        assert_eq!(
            decode::<V1>(TreeId::Meta, b"k", &bytes).unwrap(),
            V1 { a: 7 }
        );
        assert_eq!(
            decode::<V2>(TreeId::Meta, b"k", &bytes).unwrap(),
            V2 { a: 7, b: None }
        );
    }

    #[test]
    fn garbage_is_reported_as_corrupt_with_tree_and_key() {
        for bad in [&b""[..], b"\x09{}", b"\x01{not json"] {
            match decode::<V1>(TreeId::Users, b"\x01\x02", bad) {
                Err(StoreError::Corrupt { tree, key_hex, .. }) => {
                    assert_eq!(tree, "users");
                    assert_eq!(key_hex, "0102");
                }
                other => panic!("expected corrupt, got {other:?}"),
            }
        }
    }
}
