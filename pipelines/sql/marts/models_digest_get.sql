-- The digest of the inputs and assumptions the model marts were last built from (NULL: never).
SELECT max(digest) FROM meta.model_inputs;
