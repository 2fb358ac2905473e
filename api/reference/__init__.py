"""The hand-written parts of the OpenAPI document: what each operation and tag is for, and
the examples of its bodies. `api.openapi` merges them into the generated document; a
contract test fails when an operation has no summary, description or valid examples, so a
new route is documented in the same change that adds it."""
