-- A workspace may hold several keys (one per client, or an old and a new one while rotating): a
-- name says which is which. Keys made before names existed have none.
ALTER TABLE api_keys ADD COLUMN name text;
