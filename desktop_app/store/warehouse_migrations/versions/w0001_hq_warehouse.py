"""HQ warehouse: one table per workbook sheet, dealers, loaded files, KPI views

Revision ID: w0001
Revises:
Create Date: 2026-12-07 10:00:00.000000

Sheet tables hold the workbook's columns as they are (keys, types) with `id` as the primary
key: the winning row of each UUID, its dealer_code kept. `dealers` keeps each dealer's newest
_meta; `loaded_files` one line per file loaded (its SHA-256 is the key, so a file loaded
twice is loaded once). The kpi_* views are the KPI definitions of domain/kpi.py in SQL
(docs/hq-warehouse.md); BI tools read them, and `paddock hq rollup` reads kpi_events.
"""

from __future__ import annotations

from alembic import op

from desktop_app.store.warehouse import create_index, create_sheet_table

revision = "w0001"
down_revision = None
branch_labels = None
depends_on = None

# (key, contract type, required) per column, as the workbook contract had them (schema 1).
SHEETS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "events": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("title", "text", True),
        ("type", "text", True),
        ("format", "text", False),
        ("status", "text", True),
        ("starts_at", "datetime", False),
        ("ends_at", "datetime", False),
        ("timezone", "text", False),
        ("venue", "text", False),
        ("online_link", "text", False),
        ("capacity", "int", False),
        ("waitlist_enabled", "bool", False),
        ("points_award", "int", False),
        ("campaign_code", "text", False),
        ("budget", "number", False),
        ("min_online_minutes", "int", False),
        ("registration_opens_at", "datetime", False),
        ("registration_closes_at", "datetime", False),
        ("cancel_reason", "text", False),
    ),
    "people": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("name", "text", True),
        ("phone", "text", False),
        ("phone_hash", "text", False),
        ("wechat", "text", False),
        ("email", "text", False),
        ("stage", "text", True),
        ("tier", "text", False),
        ("stage_changed_at", "datetime", False),
        ("tier_changed_at", "datetime", False),
        ("butler_id", "uuid", False),
        ("referred_by_id", "uuid", False),
        ("source", "text", False),
        ("consent_marketing_at", "datetime", False),
        ("consent_photos_at", "datetime", False),
        ("merged_into_id", "uuid", False),
    ),
    "vehicles": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("person_id", "uuid", True),
        ("vin", "text", False),
        ("plate", "text", False),
        ("model", "text", False),
        ("purchase_date", "date", False),
    ),
    "clubs": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("name", "text", True),
        ("model_focus", "text", False),
        ("city", "text", False),
    ),
    "club_memberships": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("club_id", "uuid", True),
        ("person_id", "uuid", True),
        ("role", "text", False),
        ("joined_on", "date", False),
    ),
    "registrations": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("event_id", "uuid", True),
        ("person_id", "uuid", True),
        ("status", "text", True),
        ("source", "text", False),
        ("party_size", "int", False),
        ("is_walk_in", "bool", False),
        ("registered_at", "datetime", False),
        ("waitlisted_at", "datetime", False),
        ("cancelled_at", "datetime", False),
        ("referred_by_id", "uuid", False),
        ("invited_by_id", "uuid", False),
        ("checked_in_at", "datetime", False),
        ("checked_in_desk", "text", False),
        ("checked_out_at", "datetime", False),
        ("online_minutes", "int", False),
        ("wants_test_drive", "bool", False),
        ("interest_model", "text", False),
    ),
    "checkins": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("nonce", "uuid", True),
        ("event_id", "uuid", False),
        ("registration_id", "uuid", False),
        ("action", "text", True),
        ("result", "text", True),
        ("desk", "text", False),
        ("staff_id", "uuid", False),
        ("scanned_at", "datetime", True),
        ("note", "text", False),
    ),
    "online_attendance": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("event_id", "uuid", True),
        ("registration_id", "uuid", False),
        ("person_id", "uuid", False),
        ("platform", "text", False),
        ("display_name", "text", False),
        ("first_join_at", "datetime", False),
        ("last_leave_at", "datetime", False),
        ("minutes", "int", False),
        ("sessions", "int", False),
    ),
    "points_ledger": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("person_id", "uuid", True),
        ("registration_id", "uuid", False),
        ("delta", "int", True),
        ("kind", "text", False),
        ("reason", "text", False),
    ),
    "feedback": (
        ("id", "uuid", True),
        ("dealer_code", "text", True),
        ("updated_at", "datetime", True),
        ("created_at", "datetime", False),
        ("deleted", "bool", True),
        ("deleted_at", "datetime", False),
        ("event_id", "uuid", True),
        ("person_id", "uuid", False),
        ("registration_id", "uuid", False),
        ("rating", "int", False),
        ("nps", "int", False),
        ("comment", "text", False),
        ("source", "text", False),
    ),
}
# Foreign ids the roll-up and BI drill-downs join on.
INDEXES = (
    ("registrations", "event_id"),
    ("registrations", "person_id"),
    ("checkins", "event_id"),
    ("online_attendance", "event_id"),
    ("points_ledger", "registration_id"),
    ("feedback", "event_id"),
    ("vehicles", "person_id"),
    ("club_memberships", "person_id"),
)

FUNCTIONS = """
-- The text Python's datetime.isoformat() gives of a UTC datetime, and repr() of a float:
-- the file merge breaks equal updated_at by comparing rows as those texts.
CREATE FUNCTION hq.py_isoformat(t timestamptz) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
      || CASE WHEN to_char(t AT TIME ZONE 'UTC', 'US') = '000000' THEN ''
              ELSE '.' || to_char(t AT TIME ZONE 'UTC', 'US') END
      || '+00:00'
$$;
CREATE FUNCTION hq.py_float_text(x double precision) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN x = trunc(x) AND abs(x) < 1e16
              THEN CASE WHEN x = 0 AND x::text LIKE '-%' THEN '-0' ELSE trunc(x)::numeric::text END
                   || '.0'
              ELSE x::text END
$$;
"""

# One row per event: what domain/kpi.py's event_kpis counts, from the live (not deleted)
# rows; "now" is the dealer's newest export time. Rates are exact ratios (the roll-up rounds).
KPI_EVENTS = """
CREATE VIEW hq.kpi_events AS
WITH ev AS (
  SELECT e.id, e.dealer_code, e.campaign_code, e.title, e.type, e.status, e.starts_at,
         e.ends_at, coalesce(d.region, '') AS region,
         (e.starts_at AT TIME ZONE coalesce(z.name, 'UTC'))::date AS local_date,
         (e.status = 'completed'
          OR coalesce(e.ends_at <= coalesce(d.exported_at, now()), false)) AS over
  FROM hq.events e
  LEFT JOIN hq.dealers d ON d.dealer_code = e.dealer_code
  LEFT JOIN hq.time_zones z ON z.name = e.timezone
  WHERE NOT e.deleted
),
-- every live registration of a live event, once: what it is
reg AS MATERIALIZED (
  SELECT r.id, r.event_id, r.person_id, r.referred_by_id, e.starts_at,
         coalesce(r.is_walk_in, false) AS walk_in,
         r.status IN ('registered', 'attended', 'no_show') AS confirmed,
         (r.checked_in_at IS NOT NULL
          OR coalesce(r.online_minutes >= coalesce(e.min_online_minutes, 10), false)) AS came
  FROM hq.registrations r JOIN hq.events e ON e.id = r.event_id AND NOT e.deleted
  WHERE NOT r.deleted
),
-- who came (a confirmed registration, checked in or online long enough)
came AS MATERIALIZED (
  SELECT event_id, person_id, starts_at FROM reg WHERE confirmed AND came
),
-- each person's first attended event, at any dealer
first_came AS (
  SELECT person_id, min(starts_at) AS first_start FROM came
  WHERE starts_at IS NOT NULL GROUP BY person_id
),
per_reg AS (
  SELECT event_id,
    count(*) FILTER (WHERE confirmed AND NOT walk_in) AS registered,
    count(*) FILTER (WHERE confirmed AND came) AS attended,
    count(*) FILTER (WHERE confirmed AND came AND NOT walk_in) AS attended_registered,
    count(*) FILTER (WHERE confirmed AND came AND walk_in) AS walk_ins,
    count(*) FILTER (WHERE confirmed AND referred_by_id IS NOT NULL) AS referrals
  FROM reg GROUP BY event_id
),
-- a stage stamped within 5 s of the row's creation was set by creating it, not changed
per_person AS (
  SELECT c.event_id,
    count(*) FILTER (
      WHERE (f.first_start IS NULL OR c.starts_at IS NULL OR f.first_start >= c.starts_at)
        AND (p.stage = 'prospect' OR p.changed >= c.starts_at)
    ) AS new_prospects,
    count(*) FILTER (
      WHERE p.stage = 'member' AND p.changed >= c.starts_at
        AND p.changed < c.starts_at + interval '30 days'
    ) AS new_members
  FROM came c
  JOIN (SELECT id, stage,
               CASE WHEN stage_changed_at - created_at
                         BETWEEN interval '-5 seconds' AND interval '5 seconds'
                    THEN NULL ELSE stage_changed_at END AS changed
        FROM hq.people WHERE NOT deleted) p ON p.id = c.person_id
  LEFT JOIN first_came f ON f.person_id = c.person_id
  GROUP BY c.event_id
),
fb AS (
  SELECT event_id, count(*) AS feedback_count,
         count(rating) AS ratings_n, coalesce(sum(rating), 0) AS ratings_sum,
         count(nps) AS nps_n,
         count(*) FILTER (WHERE nps >= 9) AS nps_promoters,
         count(*) FILTER (WHERE nps <= 6) AS nps_detractors
  FROM hq.feedback WHERE NOT deleted
  GROUP BY event_id
),
pts AS (
  SELECT reg.event_id, sum(l.delta) AS points_awarded
  FROM hq.points_ledger l JOIN reg ON reg.id = l.registration_id
  WHERE NOT l.deleted
  GROUP BY reg.event_id
)
SELECT ev.dealer_code, ev.id AS event_id, ev.campaign_code, ev.title, ev.type, ev.status,
       ev.starts_at, ev.ends_at, ev.local_date, to_char(ev.local_date, 'YYYY-MM') AS month,
       ev.region, ev.over, (ev.status <> 'cancelled' AND ev.over) AS held,
       coalesce(pr.registered, 0) AS registered,
       coalesce(pr.attended, 0) AS attended,
       coalesce(pr.attended_registered, 0) AS attended_registered,
       CASE WHEN ev.over THEN coalesce(pr.registered - pr.attended_registered, 0) ELSE 0 END
         AS no_shows,
       coalesce(pr.walk_ins, 0) AS walk_ins,
       coalesce(pp.new_prospects, 0) AS new_prospects,
       coalesce(pr.referrals, 0) AS referrals,
       coalesce(pp.new_members, 0) AS new_members,
       coalesce(pts.points_awarded, 0)::bigint AS points_awarded,
       coalesce(fb.feedback_count, 0) AS feedback_count,
       coalesce(fb.ratings_sum, 0)::bigint AS ratings_sum,
       coalesce(fb.ratings_n, 0) AS ratings_n,
       coalesce(fb.nps_n, 0) AS nps_n,
       coalesce(fb.nps_promoters, 0) AS nps_promoters,
       coalesce(fb.nps_detractors, 0) AS nps_detractors,
       CASE WHEN pr.registered > 0
            THEN pr.attended_registered::float8 / pr.registered ELSE 0 END AS attendance_rate,
       CASE WHEN fb.ratings_n > 0 THEN fb.ratings_sum::float8 / fb.ratings_n END AS avg_rating,
       CASE WHEN fb.nps_n > 0
            THEN 100.0::float8 * (fb.nps_promoters - fb.nps_detractors) / fb.nps_n END AS nps
FROM ev
LEFT JOIN per_reg pr ON pr.event_id = ev.id
LEFT JOIN per_person pp ON pp.event_id = ev.id
LEFT JOIN fb ON fb.event_id = ev.id
LEFT JOIN pts ON pts.event_id = ev.id
"""

# Per dealer / campaign / region / month: held events added up, rates from the sums.
GROUP_COLUMNS = """
  count(DISTINCT k.dealer_code) AS dealers,
  count(*) AS events,
  count(*) FILTER (WHERE k.held) AS events_held,
  coalesce(sum(k.registered) FILTER (WHERE k.held), 0)::bigint AS registered,
  coalesce(sum(k.attended) FILTER (WHERE k.held), 0)::bigint AS attended,
  coalesce(sum(k.walk_ins) FILTER (WHERE k.held), 0)::bigint AS walk_ins,
  coalesce(sum(k.new_prospects) FILTER (WHERE k.held), 0)::bigint AS new_prospects,
  coalesce(sum(k.referrals) FILTER (WHERE k.held), 0)::bigint AS referrals,
  coalesce(sum(k.new_members) FILTER (WHERE k.held), 0)::bigint AS new_members,
  coalesce(sum(k.feedback_count) FILTER (WHERE k.held), 0)::bigint AS feedback_count,
  coalesce(sum(k.points_awarded) FILTER (WHERE k.held), 0)::bigint AS points_awarded,
  CASE WHEN sum(k.registered) FILTER (WHERE k.held) > 0
       THEN sum(k.attended_registered) FILTER (WHERE k.held)::float8
            / sum(k.registered) FILTER (WHERE k.held)
       ELSE 0 END AS attendance_rate,
  CASE WHEN sum(k.ratings_n) FILTER (WHERE k.held) > 0
       THEN sum(k.ratings_sum) FILTER (WHERE k.held)::float8
            / sum(k.ratings_n) FILTER (WHERE k.held)
       END AS avg_rating
"""
GROUP_VIEWS = {
    "kpi_dealers": (
        "k.dealer_code, d.dealer_name, d.region",
        "hq.kpi_events k LEFT JOIN hq.dealers d ON d.dealer_code = k.dealer_code",
        "k.dealer_code, d.dealer_name, d.region",
    ),
    "kpi_campaigns": (
        "k.campaign_code",
        "hq.kpi_events k WHERE k.campaign_code IS NOT NULL",
        "k.campaign_code",
    ),
    "kpi_regions": ("k.region", "hq.kpi_events k", "k.region"),
    "kpi_months": ("k.month", "hq.kpi_events k WHERE k.month IS NOT NULL", "k.month"),
}


def upgrade() -> None:
    for name, columns in SHEETS.items():
        create_sheet_table(op, name, columns)
    for name, column in INDEXES:
        create_index(op, name, column)
    op.execute(
        """
        CREATE TABLE hq.dealers (
          dealer_code text PRIMARY KEY,
          dealer_name text,
          region text,
          city text,
          exported_at timestamptz,
          watermark timestamptz,
          schema_version integer,
          app_version text,
          pii_mode text
        )
        """
    )
    op.execute(
        """
        CREATE TABLE hq.loaded_files (
          sha256 text PRIMARY KEY,
          file text NOT NULL,
          dealer_code text NOT NULL,
          schema_version integer,
          exported_at timestamptz,
          watermark timestamptz,
          since timestamptz,
          mode text,
          pii_mode text,
          rows bigint NOT NULL,
          created bigint NOT NULL,
          updated bigint NOT NULL,
          unchanged bigint NOT NULL,
          loaded_at timestamptz NOT NULL DEFAULT now(),
          loaded_by text NOT NULL DEFAULT current_user
        )
        """
    )
    # The time zone names this server knows (pg_timezone_names reads the zone files on every
    # query: 0.2–3 s). An event's month is in its own zone, UTC when the name is unknown.
    op.execute(
        "CREATE TABLE hq.time_zones (name text PRIMARY KEY); "
        "INSERT INTO hq.time_zones SELECT DISTINCT name FROM pg_timezone_names"
    )
    op.execute(FUNCTIONS)
    op.execute(KPI_EVENTS)
    for view, (keys, source, group) in GROUP_VIEWS.items():
        op.execute(
            f"CREATE VIEW hq.{view} AS SELECT {keys},{GROUP_COLUMNS} FROM {source} GROUP BY {group}"
        )


def downgrade() -> None:
    for view in (*GROUP_VIEWS, "kpi_events"):
        op.execute(f"DROP VIEW hq.{view}")
    op.execute("DROP FUNCTION hq.py_isoformat(timestamptz), hq.py_float_text(double precision)")
    for name in (*SHEETS, "dealers", "loaded_files", "time_zones"):
        op.execute(f'DROP TABLE hq."{name}"')
