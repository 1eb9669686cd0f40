-- Intent topics of the stored sightings (see src/intent): one row per topic
-- a sighting asks about, with the phrase found and where it was found
-- (title, body or comment), never more of the text. The dashboard's product
-- view and the product digest read them; `record_sighting` writes them and
-- `purge` drops them with their sightings.
CREATE TABLE sighting_topics (
    delivery_id TEXT NOT NULL,
    topic       TEXT NOT NULL,
    phrase      TEXT NOT NULL,
    source      TEXT NOT NULL,
    at          BIGINT NOT NULL,
    group_key   TEXT NOT NULL,
    tier        TEXT NOT NULL,   -- '' for none
    PRIMARY KEY (delivery_id, topic)
);
CREATE INDEX sighting_topics_window ON sighting_topics (at, delivery_id);
