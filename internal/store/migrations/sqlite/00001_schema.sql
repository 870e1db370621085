-- +goose Up
-- The whole data model (spec 01-domain §2, 02-site). Money is integer cents,
-- weights integer hundredths of a pound. Derived columns (penalty, net, place,
-- points, payouts) are written only by the scoring step inside the write's transaction.

CREATE TABLE club (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    founded     INTEGER NOT NULL,
    time_zone   TEXT NOT NULL DEFAULT 'America/Chicago',
    about_md    TEXT NOT NULL DEFAULT '',
    bylaws_md   TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE people (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL,
    password_hash     TEXT NOT NULL DEFAULT '',
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    phone             TEXT NOT NULL DEFAULT '',
    is_active         BOOLEAN NOT NULL DEFAULT TRUE,
    is_admin          BOOLEAN NOT NULL DEFAULT FALSE,
    member            BOOLEAN NOT NULL DEFAULT FALSE,
    member_since      DATE,
    dues_paid_through DATE,
    session_version   INTEGER NOT NULL DEFAULT 1,
    avatar_key        TEXT NOT NULL DEFAULT '',
    email_news        BOOLEAN NOT NULL DEFAULT TRUE,
    email_polls       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CHECK (email <> '' AND first_name <> '')
);
CREATE UNIQUE INDEX people_email_key ON people (lower(email));
CREATE INDEX people_name ON people (last_name, first_name);
CREATE INDEX people_member ON people (member, is_active);

CREATE TABLE officer_terms (
    id          INTEGER PRIMARY KEY,
    season_year INTEGER NOT NULL,
    position    TEXT NOT NULL CHECK (position IN ('president', 'vice-president', 'secretary', 'treasurer',
                  'tournament-director', 'assistant-tournament-director', 'media-director', 'technology-director')),
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    UNIQUE (season_year, position, person_id)
);
CREATE INDEX officer_terms_person ON officer_terms (person_id);

CREATE TABLE lakes (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CHECK (name <> ''),
    lake_key   TEXT NOT NULL,
    paper      BOOLEAN NOT NULL DEFAULT FALSE,
    map_url    TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX lakes_key ON lakes (lower(lake_key));

CREATE TABLE ramps (
    id       INTEGER PRIMARY KEY,
    lake_id  BIGINT NOT NULL REFERENCES lakes (id) ON DELETE CASCADE,
    name     TEXT NOT NULL CHECK (name <> ''),
    map_url  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX ramps_lake_name ON ramps (lake_id, lower(name));

CREATE TABLE seasons (
    year           INTEGER NOT NULL PRIMARY KEY,
    rules_json     TEXT NOT NULL,
    payout_json    TEXT NOT NULL,
    rules_md       TEXT NOT NULL DEFAULT '',
    requires_dues  BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at     TIMESTAMP NOT NULL
);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    event_date  DATE NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('tournament', 'meeting', 'holiday', 'external', 'lake-event', 'closure', 'other')),
    title       TEXT NOT NULL,
    start_time  TEXT NOT NULL DEFAULT '',
    end_time    TEXT NOT NULL DEFAULT '',
    lake_id     BIGINT REFERENCES lakes (id) ON DELETE SET NULL,
    ramp_id     BIGINT REFERENCES ramps (id) ON DELETE SET NULL,
    cancelled   BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_date ON events (event_date);
CREATE INDEX events_lake ON events (lake_id);
CREATE INDEX events_ramp ON events (ramp_id);

CREATE TABLE tournaments (
    id                       INTEGER PRIMARY KEY,
    event_id                 BIGINT NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    season_year              INTEGER NOT NULL REFERENCES seasons (year),
    name                     TEXT NOT NULL,
    lake_id                  BIGINT REFERENCES lakes (id) ON DELETE SET NULL,
    ramp_id                  BIGINT REFERENCES ramps (id) ON DELETE SET NULL,
    format                   TEXT NOT NULL DEFAULT 'individual' CHECK (format IN ('individual', 'team')),
    points_count             BOOLEAN NOT NULL DEFAULT TRUE,
    paper                    BOOLEAN NOT NULL DEFAULT FALSE,
    status                   TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'weigh-in', 'complete')),
    fish_limit               INTEGER,
    description              TEXT NOT NULL DEFAULT '',
    hide_live                BOOLEAN NOT NULL DEFAULT FALSE,
    version                  INTEGER NOT NULL DEFAULT 1,
    -- stored outcome of the payout step (01-domain §3.7)
    entries                  INTEGER NOT NULL DEFAULT 0,
    pot_total_cents          BIGINT NOT NULL DEFAULT 0,
    big_bass_pot_cents       BIGINT NOT NULL DEFAULT 0,
    big_bass_carry_in_cents  BIGINT NOT NULL DEFAULT 0,
    big_bass_carry_from_id   BIGINT REFERENCES tournaments (id) ON DELETE SET NULL,
    big_bass_carried_out     BOOLEAN NOT NULL DEFAULT FALSE,
    stats_json               TEXT NOT NULL DEFAULT '{}',
    payout_json              TEXT NOT NULL DEFAULT '{}',
    big_bass_json            TEXT NOT NULL DEFAULT '{}',
    updated_at               TIMESTAMP NOT NULL
);
CREATE INDEX tournaments_season ON tournaments (season_year);
CREATE INDEX tournaments_lake ON tournaments (lake_id);
CREATE INDEX tournaments_ramp ON tournaments (ramp_id);
CREATE INDEX tournaments_carry_from ON tournaments (big_bass_carry_from_id);

CREATE TABLE results (
    id                 INTEGER PRIMARY KEY,
    tournament_id      BIGINT NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    person_id          BIGINT NOT NULL REFERENCES people (id),
    fish               INTEGER NOT NULL DEFAULT 0 CHECK (fish >= 0),
    dead               INTEGER NOT NULL DEFAULT 0 CHECK (dead >= 0),
    late_minutes       INTEGER NOT NULL DEFAULT 0 CHECK (late_minutes >= 0),
    other_penalty      INTEGER NOT NULL DEFAULT 0 CHECK (other_penalty >= 0),
    other_reason       TEXT NOT NULL DEFAULT '',
    gross              INTEGER NOT NULL DEFAULT 0 CHECK (gross >= 0),
    big_bass           INTEGER NOT NULL DEFAULT 0 CHECK (big_bass >= 0),
    lengths            TEXT NOT NULL DEFAULT '',
    buy_in             BOOLEAN NOT NULL DEFAULT FALSE,
    disqualified       BOOLEAN NOT NULL DEFAULT FALSE,
    dq_reason          TEXT NOT NULL DEFAULT '',
    dq_points_allowed  BOOLEAN NOT NULL DEFAULT FALSE,
    was_member         BOOLEAN NOT NULL DEFAULT FALSE,
    locked             BOOLEAN NOT NULL DEFAULT FALSE,
    -- derived by the scoring engine (out_* are the effective values: a buy-in's
    -- fish are 0, a team angler mirrors the boat, a late angler is DQ)
    out_fish           INTEGER NOT NULL DEFAULT 0,
    out_big_bass       INTEGER NOT NULL DEFAULT 0,
    out_buy_in         BOOLEAN NOT NULL DEFAULT FALSE,
    out_dq             BOOLEAN NOT NULL DEFAULT FALSE,
    out_dq_reason      TEXT NOT NULL DEFAULT '',
    penalty            INTEGER NOT NULL DEFAULT 0,
    net                INTEGER NOT NULL DEFAULT 0,
    place              INTEGER,
    points             INTEGER,
    prize_cents        BIGINT NOT NULL DEFAULT 0,
    tie_note           TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    updated_by         BIGINT REFERENCES people (id) ON DELETE SET NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (tournament_id, person_id)
);
CREATE INDEX results_person ON results (person_id);
CREATE INDEX results_updated_by ON results (updated_by);

CREATE TABLE boats (
    id                 INTEGER PRIMARY KEY,
    tournament_id      BIGINT NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    -- team-format weigh-in (ignored in individual format, where totals are derived)
    fish               INTEGER NOT NULL DEFAULT 0 CHECK (fish >= 0),
    dead               INTEGER NOT NULL DEFAULT 0 CHECK (dead >= 0),
    late_minutes       INTEGER NOT NULL DEFAULT 0 CHECK (late_minutes >= 0),
    other_penalty      INTEGER NOT NULL DEFAULT 0 CHECK (other_penalty >= 0),
    other_reason       TEXT NOT NULL DEFAULT '',
    gross              INTEGER NOT NULL DEFAULT 0 CHECK (gross >= 0),
    big_bass           INTEGER NOT NULL DEFAULT 0 CHECK (big_bass >= 0),
    buy_in             BOOLEAN NOT NULL DEFAULT FALSE,
    disqualified       BOOLEAN NOT NULL DEFAULT FALSE,
    dq_reason          TEXT NOT NULL DEFAULT '',
    dq_points_allowed  BOOLEAN NOT NULL DEFAULT FALSE,
    -- derived by the scoring engine
    total_fish         INTEGER NOT NULL DEFAULT 0,
    total_dead         INTEGER NOT NULL DEFAULT 0,
    total_big_bass     INTEGER NOT NULL DEFAULT 0,
    penalty            INTEGER NOT NULL DEFAULT 0,
    net                INTEGER NOT NULL DEFAULT 0,
    is_dq              BOOLEAN NOT NULL DEFAULT FALSE,
    is_buy_in          BOOLEAN NOT NULL DEFAULT FALSE,
    place              INTEGER,
    points             INTEGER,
    prize_cents        BIGINT NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL DEFAULT 1,
    updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX boats_tournament ON boats (tournament_id);

-- One row per angler in a boat: the unique (tournament, person) pair is what
-- keeps an angler in at most one boat per tournament.
CREATE TABLE boat_anglers (
    boat_id        BIGINT NOT NULL REFERENCES boats (id) ON DELETE CASCADE,
    tournament_id  BIGINT NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    person_id      BIGINT NOT NULL REFERENCES people (id),
    seat           INTEGER NOT NULL CHECK (seat IN (1, 2)),
    PRIMARY KEY (boat_id, seat),
    UNIQUE (tournament_id, person_id)
);
CREATE INDEX boat_anglers_person ON boat_anglers (person_id);

CREATE TABLE payouts (
    id             INTEGER PRIMARY KEY,
    tournament_id  BIGINT NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('place', 'big-bass', 'club', 'charity')),
    position       INTEGER NOT NULL DEFAULT 0,
    person_id      BIGINT REFERENCES people (id) ON DELETE SET NULL,
    boat_id        BIGINT REFERENCES boats (id) ON DELETE CASCADE,
    amount_cents   BIGINT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payouts_tournament ON payouts (tournament_id);
CREATE INDEX payouts_person ON payouts (person_id);
CREATE INDEX payouts_boat ON payouts (boat_id);

CREATE TABLE audit_entries (
    id             INTEGER PRIMARY KEY,
    at             TIMESTAMP NOT NULL,
    actor_id       BIGINT REFERENCES people (id) ON DELETE SET NULL,
    object_kind    TEXT NOT NULL,
    object_id      BIGINT NOT NULL DEFAULT 0,
    action         TEXT NOT NULL,
    tournament_id  BIGINT REFERENCES tournaments (id) ON DELETE SET NULL,
    person_id      BIGINT REFERENCES people (id) ON DELETE SET NULL,
    before_json    TEXT NOT NULL DEFAULT '',
    after_json     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit_entries (at);
CREATE INDEX audit_actor ON audit_entries (actor_id);
CREATE INDEX audit_tournament ON audit_entries (tournament_id);
CREATE INDEX audit_person ON audit_entries (person_id);

CREATE TABLE polls (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('lake', 'generic')),
    title             TEXT NOT NULL CHECK (title <> ''),
    description       TEXT NOT NULL DEFAULT '',
    season_year       INTEGER,
    event_id          BIGINT REFERENCES events (id) ON DELETE SET NULL,
    opens_at          TIMESTAMP NOT NULL,
    closes_at         TIMESTAMP NOT NULL,
    closed            BOOLEAN NOT NULL DEFAULT FALSE,
    tie               BOOLEAN NOT NULL DEFAULT FALSE,
    winner_option_id  BIGINT,
    created_by        BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at        TIMESTAMP NOT NULL,
    CHECK (closes_at > opens_at)
);
CREATE INDEX polls_closes ON polls (closes_at);
CREATE INDEX polls_event ON polls (event_id);
CREATE INDEX polls_created_by ON polls (created_by);

CREATE TABLE poll_options (
    id          INTEGER PRIMARY KEY,
    poll_id     BIGINT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    lake_id     BIGINT REFERENCES lakes (id) ON DELETE SET NULL,
    ramp_id     BIGINT REFERENCES ramps (id) ON DELETE SET NULL,
    start_time  TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX poll_options_poll ON poll_options (poll_id);
CREATE INDEX poll_options_lake ON poll_options (lake_id);
CREATE INDEX poll_options_ramp ON poll_options (ramp_id);

CREATE TABLE poll_votes (
    id          INTEGER PRIMARY KEY,
    poll_id     BIGINT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    option_id   BIGINT NOT NULL REFERENCES poll_options (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    proxy_by    BIGINT REFERENCES people (id) ON DELETE SET NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (poll_id, person_id)
);
CREATE INDEX poll_votes_option ON poll_votes (option_id);
CREATE INDEX poll_votes_person ON poll_votes (person_id);
CREATE INDEX poll_votes_proxy ON poll_votes (proxy_by);

CREATE TABLE poll_comments (
    id          INTEGER PRIMARY KEY,
    poll_id     BIGINT NOT NULL REFERENCES polls (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX poll_comments_poll ON poll_comments (poll_id);
CREATE INDEX poll_comments_person ON poll_comments (person_id);

CREATE TABLE news (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL CHECK (title <> ''),
    body_md     TEXT NOT NULL DEFAULT '',
    publish_at  TIMESTAMP NOT NULL,
    author_id   BIGINT REFERENCES people (id) ON DELETE SET NULL,
    emailed_at  TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX news_publish ON news (publish_at);
CREATE INDEX news_author ON news (author_id);

-- Server-side sessions (scs store of our own on the same SQL).
CREATE TABLE sessions (
    token   TEXT PRIMARY KEY,
    data    BLOB NOT NULL,
    expiry  TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX password_resets_person ON password_resets (person_id);

CREATE TABLE media (
    id            INTEGER PRIMARY KEY,
    media_key     TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    person_id     BIGINT REFERENCES people (id) ON DELETE SET NULL,
    content_type  TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    bytes         BIGINT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX media_person ON media (person_id);

CREATE TABLE error_groups (
    fingerprint   TEXT PRIMARY KEY,
    severity      TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    error_type    TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    message       TEXT NOT NULL DEFAULT '',
    count         BIGINT NOT NULL DEFAULT 0,
    first_seen    TIMESTAMP NOT NULL,
    last_seen     TIMESTAMP NOT NULL,
    last_context  TEXT NOT NULL DEFAULT '{}',
    resolved      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX error_groups_last_seen ON error_groups (last_seen);

-- Season views stored by the scoring step (reads never compute): AoY rows,
-- with cumulative points per tournament for the standings-over-time chart.
CREATE TABLE standings (
    season_year      INTEGER NOT NULL REFERENCES seasons (year) ON DELETE CASCADE,
    person_id        BIGINT NOT NULL REFERENCES people (id),
    rank             INTEGER NOT NULL,
    points           INTEGER NOT NULL,
    events           INTEGER NOT NULL,
    wins             INTEGER NOT NULL,
    fish             INTEGER NOT NULL,
    net              INTEGER NOT NULL,
    biggest_bass     INTEGER NOT NULL,
    eligible         BOOLEAN NOT NULL,
    cumulative_json  TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (season_year, person_id)
);
CREATE INDEX standings_person ON standings (person_id);

-- Heavy stringer and big bass of the year (top 10 each), stored the same way.
CREATE TABLE season_awards (
    season_year    INTEGER NOT NULL REFERENCES seasons (year) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('heavy-stringer', 'big-bass')),
    rank           INTEGER NOT NULL,
    person_id      BIGINT NOT NULL REFERENCES people (id),
    tournament_id  BIGINT NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
    weight         INTEGER NOT NULL,
    PRIMARY KEY (season_year, kind, rank, person_id, tournament_id)
);
CREATE INDEX season_awards_person ON season_awards (person_id);
CREATE INDEX season_awards_tournament ON season_awards (tournament_id);

-- Cluster-wide locks for scheduled jobs (poll closing, health alerts, backups).
CREATE TABLE job_locks (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE job_locks;
DROP TABLE season_awards;
DROP TABLE standings;
DROP TABLE error_groups;
DROP TABLE media;
DROP TABLE password_resets;
DROP TABLE sessions;
DROP TABLE news;
DROP TABLE poll_comments;
DROP TABLE poll_votes;
DROP TABLE poll_options;
DROP TABLE polls;
DROP TABLE audit_entries;
DROP TABLE payouts;
DROP TABLE boat_anglers;
DROP TABLE boats;
DROP TABLE results;
DROP TABLE tournaments;
DROP TABLE events;
DROP TABLE seasons;
DROP TABLE ramps;
DROP TABLE lakes;
DROP TABLE officer_terms;
DROP TABLE people;
DROP TABLE club;
