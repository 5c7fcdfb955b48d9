"""The 22 pilot indicators written again in plain SQL on PostgreSQL: the benchmark's baseline.

The tables of `bench.generate_frames` (or any engine frames, in one
territory 0) are copied into UNLOGGED tables with COPY, indexed on the
person and on the dates the queries filter on, then ANALYZEd. Each
indicator is one query (common table expressions, DISTINCT ON for "the
latest / the first", a join to the set of people "followed by" something),
grouped by territory so that
one run gives the national export of every territory at once; with
`by_territory=False` the same queries group everything under territory 0
(the full set of one territory). Rates and delays are rounded by PostgreSQL's
`round(numeric, 1)`, which rounds halves away from zero like the engine;
medians and 75th percentiles are `percentile_cont` (linear interpolation).

Every indicator of the registry is expressed here: `UNSUPPORTED` is empty.
The session raises `work_mem` to 256 MB (sorts and hashes of the largest
territory stay in memory); nothing else is tuned.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import psycopg
from sqlalchemy import make_url

from metrics.params import Params

# Indicators of the registry that have no SQL version (none): the bench compares the rest.
UNSUPPORTED: tuple[str, ...] = ()
UNKNOWN = "inconnu"
ORGANISMES = ("FT", "CD", "ML", "CAP_EMPLOI", "MSA", "CCAS", "OTHER")
DOMINANTES = ("emploi", "socio_professionnel", "social")
WEEKS = 4
COPY_ROWS = 500_000

COLUMNS = {
    "people": (
        "territory smallint",
        "beneficiary_id bigint",
        "birth_year bigint",
        "sex text",
        "site text",
        "family_situation text",
        "education_level text",
    ),
    "rights": (
        "territory smallint",
        "beneficiary_id bigint",
        "rights_opened_on date",
        "notification_received_on date",
        "duties_start_on date",
        "duties_end_on date",
        "exit_on date",
    ),
    "orientations": (
        "territory smallint",
        "beneficiary_id bigint",
        "decided_on date",
        "notified_on date",
        "dominante text",
        "organisme text",
        "referent_id bigint",
        "is_reorientation boolean",
    ),
    "appointments": (
        "row_id bigint",
        "territory smallint",
        "beneficiary_id bigint",
        "kind text",
        "invited_on date",
        "scheduled_at timestamp",
        "status text",
        "reminder_on date",
        "referent_id bigint",
    ),
    "contracts": (
        "territory smallint",
        "beneficiary_id bigint",
        "kind text",
        "signed_on date",
        "ended_on date",
    ),
    "referents": (
        "territory smallint",
        "referent_id bigint",
        "organisme text",
        "site text",
        "portfolio_target bigint",
    ),
    "activity_hours": (
        "territory smallint",
        "beneficiary_id bigint",
        "week_start date",
        "hours double precision",
    ),
    "outcomes": (
        "territory smallint",
        "beneficiary_id bigint",
        "started_on date",
        "contract_type text",
        "duration_months double precision",
        "durable boolean",
    ),
}
INDEXES = (
    "CREATE UNIQUE INDEX ON people (beneficiary_id)",
    "CREATE INDEX ON rights (beneficiary_id)",
    "CREATE INDEX ON rights (duties_start_on)",
    "CREATE INDEX ON orientations (beneficiary_id, decided_on)",
    "CREATE INDEX ON orientations (notified_on)",
    "CREATE INDEX ON appointments (beneficiary_id, scheduled_at, row_id)",
    "CREATE INDEX ON contracts (beneficiary_id, signed_on)",
    "CREATE UNIQUE INDEX ON referents (referent_id)",
    "CREATE INDEX ON activity_hours (week_start)",
    "CREATE INDEX ON outcomes (beneficiary_id, started_on)",
)


def conninfo(url: str) -> str:
    """A libpq URI from a SQLAlchemy URL (`postgresql+psycopg://...`) or a libpq one."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database_url(url: str, name: str) -> str:
    """`url` pointing at database `name`."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def reachable(url: str | None, timeout: int = 3) -> bool:
    """Whether a PostgreSQL server answers at `url`."""
    if not url:
        return False
    try:
        with psycopg.connect(conninfo(url), connect_timeout=timeout) as connection:
            connection.execute("SELECT 1")
    except (psycopg.Error, ValueError):
        return False
    return True


def create_database(url: str, name: str) -> None:
    """Create (after dropping it) database `name` on the server of `url`."""
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str, name: str) -> None:
    """Drop database `name` on the server of `url`."""
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connect(url: str) -> psycopg.Connection:
    """A connection for the queries (work_mem raised to 256 MB)."""
    connection = psycopg.connect(conninfo(url))
    connection.execute("SET work_mem = '256MB'")
    connection.commit()
    return connection


def load_tables(connection: psycopg.Connection, tables: dict[str, pl.DataFrame]) -> None:
    """Create the tables, COPY `tables` into them (territory 0 when a table has no
    `territory` column; appointments numbered in their order), index and ANALYZE."""
    with connection.cursor() as cursor:
        for name, columns in COLUMNS.items():
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE UNLOGGED TABLE {name} ({', '.join(columns)})")
            frame = tables[name]
            if "territory" not in frame.columns:
                frame = frame.with_columns(territory=pl.lit(0, dtype=pl.Int16))
            if name == "appointments":
                frame = frame.with_row_index("row_id")
            names = [column.split()[0] for column in columns]
            frame = frame.select(names)
            statement = f"COPY {name} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv)"
            with cursor.copy(statement) as copy:
                for offset in range(0, frame.height, COPY_ROWS):
                    chunk = frame.slice(offset, COPY_ROWS)
                    copy.write(chunk.write_csv(include_header=False).encode())
        for statement in INDEXES:
            cursor.execute(statement)
    connection.commit()
    connection.autocommit = True
    connection.execute("ANALYZE")
    connection.autocommit = False


# -- query fragments -------------------------------------------------------------------


def _covers(day: str) -> str:
    return (
        f"duties_start_on <= {day} AND (duties_end_on IS NULL OR duties_end_on >= {day})"
        f" AND (exit_on IS NULL OR exit_on > {day})"
    )


ENTRANT_FACTS = """
starts AS (
    SELECT r.territory, r.beneficiary_id, r.duties_start_on AS entry_on,
           r.notification_received_on, r.rights_opened_on
    FROM rights r
    WHERE r.duties_start_on BETWEEN %(start)s AND %(last)s
),
entrants AS (
    SELECT DISTINCT ON (s.beneficiary_id) s.*
    FROM starts s
    WHERE NOT EXISTS (
            SELECT 1 FROM rights r
            WHERE r.beneficiary_id = s.beneficiary_id
              AND r.duties_start_on <= s.entry_on - 1
              AND (r.duties_end_on IS NULL OR r.duties_end_on >= s.entry_on - 1)
              AND (r.exit_on IS NULL OR r.exit_on > s.entry_on - 1))
      AND NOT EXISTS (
            SELECT 1 FROM orientations o
            WHERE o.beneficiary_id = s.beneficiary_id
              AND o.decided_on < s.entry_on
              AND o.decided_on >= (s.entry_on - make_interval(months => %(lookback)s::int))::date)
    ORDER BY s.beneficiary_id, s.entry_on, s.notification_received_on NULLS LAST,
             s.rights_opened_on NULLS LAST
),
entry AS (
    SELECT DISTINCT ON (e.beneficiary_id) e.beneficiary_id,
           CASE WHEN o.notified_on <= %(as_of)s THEN o.notified_on END AS notified_on
    FROM entrants e
    JOIN orientations o ON o.beneficiary_id = e.beneficiary_id
    WHERE o.decided_on <= %(as_of)s AND o.decided_on >= e.entry_on
    ORDER BY e.beneficiary_id, (o.notified_on IS NOT NULL AND o.notified_on <= %(as_of)s) DESC,
             o.decided_on, o.notified_on NULLS LAST
),
facts AS (
    SELECT e.territory, e.beneficiary_id, e.entry_on, e.notification_received_on,
           e.rights_opened_on, entry.notified_on
    FROM entrants e
    LEFT JOIN entry ON entry.beneficiary_id = e.beneficiary_id
)"""

LATEST = """
latest AS (
    SELECT DISTINCT ON (beneficiary_id) beneficiary_id, organisme, dominante, referent_id
    FROM orientations
    WHERE decided_on <= %(as_of)s
    ORDER BY beneficiary_id, decided_on DESC, is_reorientation DESC,
             CASE WHEN notified_on <= %(as_of)s THEN notified_on END DESC NULLS LAST
)"""

STOCK = f"""
stock AS (
    SELECT DISTINCT territory, beneficiary_id FROM rights WHERE {_covers("%(as_of)s")}
)"""

ORIENTED = f"""{STOCK},{LATEST},
oriented AS (
    SELECT s.territory, s.beneficiary_id, l.organisme, l.dominante, l.referent_id
    FROM stock s
    JOIN latest l ON l.beneficiary_id = s.beneficiary_id
)"""

FIRST_APPOINTMENTS = """
firsts AS (
    SELECT DISTINCT ON (beneficiary_id) territory, beneficiary_id, row_id,
           scheduled_at::date AS day, status, reminder_on
    FROM appointments
    WHERE kind IN ('orientation', 'accompagnement') AND status <> 'annule'
      AND scheduled_at < %(as_of)s::date + 1
    ORDER BY beneficiary_id, scheduled_at, row_id
),
period AS (
    SELECT * FROM firsts WHERE day BETWEEN %(start)s AND %(last)s
)"""


def _rate(flag: str, where: str = "") -> str:
    """The final select of a rate over the `judged` rows: territory, numerator,
    denominator, value."""
    condition = f"WHERE {where}" if where else ""
    return f"""
SELECT territory, numerator, denominator, round(100.0 * numerator / denominator, 1) AS value
FROM (
    SELECT {{key}} AS territory, count(*) FILTER (WHERE {flag}) AS numerator,
           count(*) AS denominator
    FROM judged {condition}
    GROUP BY 1
) counted"""


def _delay(source: str) -> str:
    """The final select of a delay over `source` rows (territory, d)."""
    return f"""
SELECT {{key}} AS territory,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY d))::numeric, 1) AS value,
       round(avg(d), 1) AS mean,
       round((percentile_cont(0.75) WITHIN GROUP (ORDER BY d))::numeric, 1) AS p75,
       count(*) AS count
FROM {source}
GROUP BY 1"""


def _window(t0: str, deadline: str) -> str:
    return f"""WITH {ENTRANT_FACTS},
measured AS (
    SELECT territory, beneficiary_id, notified_on, {deadline} AS deadline
    FROM (SELECT *, {t0} AS t0 FROM facts) f
    WHERE t0 IS NOT NULL
),
judged AS (
    SELECT territory, beneficiary_id, deadline,
           coalesce(notified_on <= deadline, false) AS in_time
    FROM measured
)"""


WINDOWS = {
    "taux_orientes_15j": _window("notification_received_on", "t0 + %(orientation_offset)s::int"),
    "taux_orientes_1mois": _window(
        "coalesce(notification_received_on, rights_opened_on)",
        "(t0 + make_interval(months => %(orientation_months)s::int))::date",
    ),
    "taux_orientes_6sem": _window("notification_received_on", "t0 + %(legal_days)s::int"),
}
COUNTED = "in_time OR %(as_of)s > deadline"

QUERIES: dict[str, str] = {
    "nouveaux_entrants": f"""WITH {ENTRANT_FACTS}
SELECT {{key}} AS territory, count(*) AS value FROM entrants GROUP BY 1""",
    **{code: sql + _rate("in_time", COUNTED) for code, sql in WINDOWS.items()},
    "delai_orientation_median_j": f"""WITH {ENTRANT_FACTS},
delays AS (
    SELECT territory, notified_on - notification_received_on AS d
    FROM facts
    WHERE notified_on IS NOT NULL AND notification_received_on IS NOT NULL
)"""
    + _delay("delays"),
    "taux_orientation": f"""WITH {STOCK},
oriented AS (
    SELECT DISTINCT beneficiary_id FROM orientations WHERE decided_on <= %(as_of)s
),
judged AS (
    SELECT s.territory, o.beneficiary_id IS NOT NULL AS oriented
    FROM stock s
    LEFT JOIN oriented o ON o.beneficiary_id = s.beneficiary_id
)"""
    + _rate("oriented"),
    "repartition_organisme": f"""WITH {ORIENTED}
SELECT {{key}} AS territory, organisme AS category, count(*) AS count,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY {{key}}), 1) AS share
FROM oriented
GROUP BY 1, 2""",
    "repartition_dominante": f"""WITH {ORIENTED}
SELECT {{key}} AS territory, dominante AS category, count(*) AS count,
       round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY {{key}}), 1) AS share
FROM oriented
GROUP BY 1, 2""",
    "delai_premier_accompagnement_median_j": """WITH acts AS (
    SELECT beneficiary_id, min(scheduled_at)::date AS act_on
    FROM appointments
    WHERE kind = 'accompagnement' AND status = 'present' AND scheduled_at < %(as_of)s::date + 1
    GROUP BY 1
    UNION ALL
    SELECT beneficiary_id, min(signed_on) FROM contracts WHERE signed_on <= %(as_of)s GROUP BY 1
    UNION ALL
    SELECT beneficiary_id, min(week_start)
    FROM activity_hours
    WHERE hours > 0 AND week_start <= %(as_of)s
    GROUP BY 1
),
first_acts AS (
    SELECT beneficiary_id, min(act_on) AS act_on
    FROM acts
    GROUP BY 1
    HAVING min(act_on) BETWEEN %(start)s AND %(last)s
),
spells AS (
    SELECT DISTINCT ON (f.beneficiary_id) r.territory, f.act_on, r.rights_opened_on
    FROM first_acts f
    JOIN rights r ON r.beneficiary_id = f.beneficiary_id AND r.duties_start_on <= f.act_on
    ORDER BY f.beneficiary_id, r.duties_start_on DESC, r.rights_opened_on NULLS LAST
),
delays AS (
    SELECT territory, act_on - rights_opened_on AS d FROM spells WHERE rights_opened_on IS NOT NULL
)"""
    + _delay("delays"),
    "taux_premier_rdv_15j": """WITH latest AS (
    SELECT DISTINCT ON (beneficiary_id) territory, beneficiary_id, decided_on, notified_on
    FROM orientations
    WHERE decided_on BETWEEN %(start)s AND %(last)s
    ORDER BY beneficiary_id, decided_on DESC, is_reorientation DESC,
             CASE WHEN notified_on <= %(as_of)s THEN notified_on END DESC NULLS LAST
),
reference AS (
    SELECT territory, beneficiary_id,
           CASE WHEN notified_on <= %(as_of)s THEN notified_on ELSE decided_on END AS ref_on
    FROM latest
),
followed AS (
    SELECT DISTINCT r.beneficiary_id
    FROM reference r
    JOIN appointments a ON a.beneficiary_id = r.beneficiary_id
    WHERE a.kind = 'accompagnement' AND a.status <> 'annule'
      AND coalesce(a.invited_on, a.scheduled_at::date) <= %(as_of)s
      AND a.scheduled_at::date BETWEEN r.ref_on AND r.ref_on + %(first_appointment_days)s::int
),
judged AS (
    SELECT r.territory, r.ref_on + %(first_appointment_days)s::int AS deadline,
           f.beneficiary_id IS NOT NULL AS in_time
    FROM reference r
    LEFT JOIN followed f ON f.beneficiary_id = r.beneficiary_id
)"""
    + _rate("in_time", COUNTED),
    "taux_contrat_engagement": f"""WITH {ORIENTED},
in_force AS (
    SELECT DISTINCT beneficiary_id
    FROM contracts
    WHERE signed_on <= %(as_of)s AND (ended_on IS NULL OR ended_on > %(as_of)s)
),
judged AS (
    SELECT o.territory, c.beneficiary_id IS NOT NULL AS contracted
    FROM oriented o
    LEFT JOIN in_force c ON c.beneficiary_id = o.beneficiary_id
)"""
    + _rate("contracted"),
    "taux_contrat_7j": """WITH firsts AS (
    SELECT territory, beneficiary_id, min(scheduled_at)::date AS day
    FROM appointments
    WHERE kind = 'accompagnement' AND status = 'present' AND scheduled_at < %(as_of)s::date + 1
    GROUP BY 1, 2
),
period AS (
    SELECT * FROM firsts WHERE day BETWEEN %(start)s AND %(last)s
),
followed AS (
    SELECT DISTINCT p.beneficiary_id
    FROM period p
    JOIN contracts c ON c.beneficiary_id = p.beneficiary_id
    WHERE c.signed_on <= %(as_of)s
      AND c.signed_on BETWEEN p.day AND p.day + %(contract_days)s::int
),
judged AS (
    SELECT p.territory, p.day + %(contract_days)s::int AS deadline,
           f.beneficiary_id IS NOT NULL AS in_time
    FROM period p
    LEFT JOIN followed f ON f.beneficiary_id = p.beneficiary_id
)"""
    + _rate("in_time", COUNTED),
    "taux_contrat_1mois": """WITH latest AS (
    SELECT DISTINCT ON (beneficiary_id) territory, beneficiary_id, notified_on,
           (notified_on + interval '1 month')::date AS deadline
    FROM orientations
    WHERE notified_on BETWEEN %(start)s AND %(last)s
    ORDER BY beneficiary_id, notified_on DESC, decided_on DESC, is_reorientation DESC
),
followed AS (
    SELECT DISTINCT l.beneficiary_id
    FROM latest l
    JOIN contracts c ON c.beneficiary_id = l.beneficiary_id
    WHERE c.signed_on <= %(as_of)s AND c.signed_on BETWEEN l.notified_on AND l.deadline
),
judged AS (
    SELECT l.territory, l.deadline, f.beneficiary_id IS NOT NULL AS in_time
    FROM latest l
    LEFT JOIN followed f ON f.beneficiary_id = l.beneficiary_id
)"""
    + _rate("in_time", COUNTED),
    "portefeuilles": f"""WITH {ORIENTED},
portfolios AS (
    SELECT {{key}} AS territory, referent_id, count(*) AS people
    FROM oriented
    WHERE referent_id IS NOT NULL
    GROUP BY 1, 2
),
judged AS (
    SELECT p.territory, p.people,
           coalesce(r.portfolio_target, %(portfolio_target)s::int) AS target
    FROM portfolios p
    LEFT JOIN referents r ON r.referent_id = p.referent_id
)
SELECT territory,
       sum(people) AS people,
       count(*) AS referents,
       round(sum(people)::numeric / count(*), 1) AS mean,
       count(*) FILTER (WHERE people > target) AS above,
       round(100.0 * count(*) FILTER (WHERE people > target) / count(*), 1) AS above_value
FROM judged
GROUP BY 1""",
    "part_intensif_15h": f"""WITH {ORIENTED},
hours AS (
    SELECT beneficiary_id, round(sum(hours)::numeric, 6) AS total
    FROM activity_hours
    WHERE week_start BETWEEN %(first_week)s AND %(last_week)s
    GROUP BY 1
),
judged AS (
    SELECT o.territory, coalesce(h.total, 0) >= %(intensive_total)s::int AS intensive
    FROM oriented o
    LEFT JOIN hours h ON h.beneficiary_id = o.beneficiary_id
)"""
    + _rate("intensive"),
    "taux_absence_premier_rdv": f"""WITH {FIRST_APPOINTMENTS},
judged AS (
    SELECT territory, status = 'absent' AS absent
    FROM period
    WHERE status IN ('present', 'absent', 'excuse')
)"""
    + _rate("absent"),
    "taux_relance_15j": f"""WITH {FIRST_APPOINTMENTS},
absences AS (
    SELECT * FROM period WHERE status = 'absent'
),
invited AS (
    SELECT DISTINCT a.row_id
    FROM absences a
    JOIN appointments o ON o.beneficiary_id = a.beneficiary_id AND o.row_id <> a.row_id
    WHERE coalesce(o.invited_on, o.scheduled_at::date)
              BETWEEN a.day AND a.day + %(reminder_days)s::int
      AND coalesce(o.invited_on, o.scheduled_at::date) <= %(as_of)s
),
judged AS (
    SELECT a.territory, a.day + %(reminder_days)s::int AS deadline,
           coalesce(a.reminder_on BETWEEN a.day AND a.day + %(reminder_days)s::int
                    AND a.reminder_on <= %(as_of)s, false)
           OR i.row_id IS NOT NULL AS followed
    FROM absences a
    LEFT JOIN invited i ON i.row_id = a.row_id
)"""
    + _rate("followed", "followed OR %(as_of)s > deadline"),
}


def _employment(durable_only: bool) -> str:
    durable = (
        """
          AND (x.durable OR x.contract_type IN ('CDI', 'creation')
               OR (x.contract_type IN ('CDD', 'interim')
                   AND coalesce(x.duration_months, 0) >= 6))"""
        if durable_only
        else ""
    )
    return f"""WITH accompanied AS (
    SELECT DISTINCT territory, beneficiary_id
    FROM rights r
    WHERE duties_start_on <= %(last)s
      AND (duties_end_on IS NULL OR duties_end_on >= %(start)s)
      AND (exit_on IS NULL OR exit_on > %(start)s)
      AND EXISTS (
          SELECT 1 FROM orientations o
          WHERE o.beneficiary_id = r.beneficiary_id AND o.decided_on <= %(last)s)
),
employed AS (
    SELECT DISTINCT beneficiary_id
    FROM outcomes x
    WHERE x.started_on BETWEEN %(start)s AND %(last)s{durable}
),
judged AS (
    SELECT a.territory, e.beneficiary_id IS NOT NULL AS found
    FROM accompanied a
    LEFT JOIN employed e ON e.beneficiary_id = a.beneficiary_id
)""" + _rate("found")


QUERIES.update(
    {
        "taux_retour_emploi": _employment(False),
        "taux_retour_emploi_durable": _employment(True),
        "taux_sortie_rsa": f"""WITH stock AS (
    SELECT territory, beneficiary_id FROM rights WHERE {_covers("%(day_before)s::date")}
    UNION
    SELECT territory, beneficiary_id FROM rights WHERE {_covers("%(start)s::date")}
),
exits AS (
    SELECT DISTINCT beneficiary_id FROM rights WHERE exit_on BETWEEN %(start)s AND %(last)s
),
judged AS (
    SELECT s.territory, e.beneficiary_id IS NOT NULL AS exited
    FROM stock s
    LEFT JOIN exits e ON e.beneficiary_id = s.beneficiary_id
)"""
        + _rate("exited"),
        "reprise_stock_avancement": f"""WITH stock AS (
    SELECT DISTINCT territory, beneficiary_id FROM rights WHERE {_covers("%(pilot_start)s::date")}
),
seen AS (
    SELECT DISTINCT beneficiary_id
    FROM appointments
    WHERE status = 'present' AND scheduled_at >= %(pilot_start)s::date
      AND scheduled_at < %(as_of)s::date + 1
),
judged AS (
    SELECT s.territory, v.beneficiary_id IS NOT NULL AS seen
    FROM stock s
    LEFT JOIN seen v ON v.beneficiary_id = s.beneficiary_id
)"""
        + _rate("seen"),
    }
)

BY_SITE = (
    WINDOWS["taux_orientes_15j"]
    + f"""
SELECT coalesce(p.site, '{UNKNOWN}') AS site,
       count(*) FILTER (WHERE j.in_time) AS numerator,
       count(*) AS denominator,
       round(100.0 * count(*) FILTER (WHERE j.in_time) / count(*), 1) AS value
FROM judged j
LEFT JOIN people p ON p.beneficiary_id = j.beneficiary_id
WHERE j.in_time OR %(as_of)s > j.deadline
GROUP BY 1"""
)

ORDER = (
    "nouveaux_entrants",
    "taux_orientes_15j",
    "taux_orientes_1mois",
    "taux_orientes_6sem",
    "delai_orientation_median_j",
    "taux_orientation",
    "repartition_organisme",
    "repartition_dominante",
    "delai_premier_accompagnement_median_j",
    "taux_premier_rdv_15j",
    "taux_contrat_engagement",
    "taux_contrat_7j",
    "taux_contrat_1mois",
    "taille_portefeuille_moyenne",
    "part_referents_au_dessus_cible",
    "part_intensif_15h",
    "taux_absence_premier_rdv",
    "taux_relance_15j",
    "taux_retour_emploi",
    "taux_retour_emploi_durable",
    "taux_sortie_rsa",
    "reprise_stock_avancement",
)
DELAYS = ("delai_orientation_median_j", "delai_premier_accompagnement_median_j")
SPLITS = {"repartition_organisme": ORGANISMES, "repartition_dominante": DOMINANTES}
PORTFOLIO_CODES = ("taille_portefeuille_moyenne", "part_referents_au_dessus_cible")


def query_parameters(
    period_start: dt.date, period_end: dt.date, as_of: dt.date, params: Params
) -> dict[str, object]:
    """The bound parameters of every query."""
    monday = as_of - dt.timedelta(days=as_of.weekday())
    return {
        "start": period_start,
        "last": min(period_end, as_of),
        "as_of": as_of,
        "day_before": period_start - dt.timedelta(days=1),
        "pilot_start": params.pilot_start,
        "lookback": params.new_entrant_lookback_months,
        "orientation_offset": params.orientation_days - 1,
        "legal_days": params.legal_orientation_days,
        "orientation_months": params.orientation_months,
        "first_appointment_days": params.first_appointment_days,
        "contract_days": params.contract_days,
        "portfolio_target": params.portfolio_target,
        "intensive_total": WEEKS * params.intensive_hours,
        "reminder_days": params.reminder_days,
        "first_week": monday - dt.timedelta(days=7 * WEEKS),
        "last_week": monday - dt.timedelta(days=7),
    }


def _number(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _empty(code: str, params: Params) -> dict:
    """The summary of an indicator with no row for a territory."""
    if code == "nouveaux_entrants":
        return {"value": 0, "numerator": 0, "denominator": None}
    if code in DELAYS:
        return {
            "value": None,
            "numerator": None,
            "denominator": None,
            "mean": None,
            "p75": None,
            "count": 0,
        }
    if code in SPLITS:
        breakdown = {key: {"count": 0, "share": None} for key in SPLITS[code]}
        return {"value": None, "numerator": None, "denominator": 0, "breakdown": breakdown}
    return {"value": None, "numerator": 0, "denominator": 0}


def _fill(summaries: dict[int, dict[str, dict]], code: str, rows: list[tuple]) -> None:
    for row in rows:
        territory, *figures = (_number(value) for value in row)
        target = summaries.setdefault(int(territory), {})
        if code == "nouveaux_entrants":
            target[code] = {"value": figures[0], "numerator": figures[0], "denominator": None}
        elif code in DELAYS:
            value, mean, p75, count = figures
            target[code] = {
                "value": value,
                "numerator": None,
                "denominator": None,
                "mean": mean,
                "p75": p75,
                "count": count,
            }
        elif code == "portefeuilles":
            people, referents, mean, above, above_value = figures
            target["taille_portefeuille_moyenne"] = {
                "value": mean,
                "numerator": people,
                "denominator": referents,
            }
            target["part_referents_au_dessus_cible"] = {
                "value": above_value,
                "numerator": above,
                "denominator": referents,
            }
        else:
            numerator, denominator, value = figures
            target[code] = {"value": value, "numerator": numerator, "denominator": denominator}


def _fill_split(summaries: dict[int, dict[str, dict]], code: str, rows: list[tuple]) -> None:
    categories = SPLITS[code]
    counts: dict[int, dict[str, tuple[int, float]]] = {}
    for territory, category, count, share in rows:
        counts.setdefault(int(territory), {})[category or UNKNOWN] = (count, _number(share))
    for territory, cells in counts.items():
        total = sum(count for count, _ in cells.values())
        others = sorted(key for key in cells if key not in categories and key != UNKNOWN)
        keys = list(categories) + others + ([UNKNOWN] if UNKNOWN in cells else [])
        breakdown = {
            key: {"count": cells[key][0], "share": cells[key][1]}
            if key in cells
            else {"count": 0, "share": 0.0}
            for key in keys
        }
        summaries.setdefault(territory, {})[code] = {
            "value": None,
            "numerator": None,
            "denominator": total,
            "breakdown": breakdown,
        }


def compute_all(
    connection: psycopg.Connection,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params | None = None,
    by_territory: bool = False,
    territories: list[int] | None = None,
) -> dict[int, dict[str, dict]]:
    """{territory: {code: summary}} for every indicator, in the registry's order.

    by_territory=False: everything loaded counts as one territory (key 0).
    by_territory=True: one entry per territory of `territories` (default: those of people).
    """
    settings = Params() if params is None else params
    values = query_parameters(period_start, period_end, as_of, settings)
    key = "territory" if by_territory else "0"
    summaries: dict[int, dict[str, dict]] = {}
    with connection.cursor() as cursor:
        for code, sql in QUERIES.items():
            if code == "reprise_stock_avancement" and (
                settings.pilot_start is None or as_of < settings.pilot_start
            ):
                continue
            cursor.execute(sql.format(key=key), values)
            rows = cursor.fetchall()
            if code in SPLITS:
                _fill_split(summaries, code, rows)
            else:
                _fill(summaries, code, rows)
        if territories is None:
            if by_territory:
                cursor.execute("SELECT DISTINCT territory FROM people")
                territories = sorted(row[0] for row in cursor.fetchall())
            else:
                territories = [0]
    connection.commit()
    result = {}
    for territory in territories:
        found = summaries.get(territory, {})
        result[territory] = {}
        for code in ORDER:
            if code == "reprise_stock_avancement" and (
                settings.pilot_start is None or as_of < settings.pilot_start
            ):
                result[territory][code] = {"value": None, "numerator": None, "denominator": None}
            else:
                result[territory][code] = found.get(code, _empty(code, settings))
    return result


def orientes_15j_by_site(
    connection: psycopg.Connection,
    period_start: dt.date,
    period_end: dt.date,
    as_of: dt.date,
    params: Params | None = None,
) -> dict[str, dict]:
    """taux_orientes_15j by site over everything loaded: {site: rate cell}, sites sorted,
    "inconnu" last."""
    settings = Params() if params is None else params
    values = query_parameters(period_start, period_end, as_of, settings)
    with connection.cursor() as cursor:
        cursor.execute(BY_SITE, values)
        rows = cursor.fetchall()
    connection.commit()
    cells = {
        site: {"value": _number(value), "numerator": numerator, "denominator": denominator}
        for site, numerator, denominator, value in rows
    }
    keys = sorted(key for key in cells if key != UNKNOWN) + ([UNKNOWN] if UNKNOWN in cells else [])
    return {key: cells[key] for key in keys}
