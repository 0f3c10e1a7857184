"""The team rules the PostgreSQL server enforces itself (team mode), for anyone with credentials and
psql, not only for the CLI.

Identity is the session user (`session_user`: the login the server authenticated; SECURITY DEFINER
functions never change it). A session is *trusted* when it is a superuser, a member of the desk's
`<schema>_admin` role (the owner, who runs migrations and manages the team), or when the desk has no
group roles at all (a desk nobody ran `store init` on: only its owner can reach it). Trusted sessions
act as the desk itself, as on SQLite (the CLI lets them name the acting user).

For everyone else (members of `<schema>_translator`, `_editor`, `_batch`), triggers whose functions
are SECURITY DEFINER with a fixed search_path (pg_catalog, pg_temp; every table named with its
schema) enforce:

| table         | rule                                                                               |
|---------------|------------------------------------------------------------------------------------|
| events        | `user` is the session user (nobody writes the log in another's name); UPDATE,      |
|               | DELETE, TRUNCATE refused (m001's trigger; no role holds those privileges either)   |
| comments      | `user` is the session user                                                         |
| versions      | a human version's `author` is the session user; on a submitted, approved or        |
|               | published story only an editor (or the batch: source revisions) adds versions;     |
|               | never updated or deleted                                                           |
| segments      | on a submitted, approved or published story only an editor (or the batch) changes  |
| approvals     | only editors insert, as themselves, on a submitted story, and not on a story they |
|               | wrote a version of or submitted (four-eyes); only withdrawals update; no delete   |
| stories       | a new story starts at most `translated`; `approved` only by an editor and with an  |
|               | active approval; `published` only by an editor and only from `approved`            |
| publications  | only editors, only for an approved (or published) story                            |
| team_members  | only trusted sessions (`translate team add/remove` as the desk's admin)            |

and for translators (neither editors nor the batch) claims and language pairs: `claim_rules_sql`
below.

Another desk's schema is closed by the grants `store init` gives: each desk's roles have USAGE on
their own schema only.
"""

from __future__ import annotations


def team_rules_sql(schema: str) -> str:
    """The functions and triggers above, for the desk in `schema` (a validated identifier)."""
    s = '"' + schema.replace('"', '""') + '"'
    return f"""
CREATE OR REPLACE FUNCTION {s}.desk_has_role(_schema text, _role text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = _schema || '_' || _role)
       AND pg_has_role(session_user, _schema || '_' || _role, 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION {s}.desk_trusted(_schema text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        OR {s}.desk_has_role(_schema, 'admin')
        OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname IN
                       (_schema || '_translator', _schema || '_editor', _schema || '_batch'))
$$;

CREATE OR REPLACE FUNCTION {s}.desk_refuse(_message text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '%', _message USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_story_state(_schema text, _story text) RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE st integer;
BEGIN
    -- always this desk's own table (never the caller's `_schema`: no peeking into another desk)
    SELECT state INTO st FROM {s}.stories WHERE id = _story;
    RETURN st;
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_stamp_user() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT {s}.desk_trusted(TG_TABLE_SCHEMA) THEN
        NEW."user" := session_user;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_versions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF {s}.desk_trusted(TG_TABLE_SCHEMA) THEN
        RETURN NEW;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM {s}.desk_refuse('translation versions are never changed or deleted');
    END IF;
    IF {s}.desk_story_state(TG_TABLE_SCHEMA, NEW.story_id) >= 70
       AND NOT {s}.desk_has_role(TG_TABLE_SCHEMA, 'editor')
       AND NOT {s}.desk_has_role(TG_TABLE_SCHEMA, 'batch') THEN
        PERFORM {s}.desk_refuse(format(
            'story %s is submitted, approved or published: only editors change it', NEW.story_id));
    END IF;
    IF NEW.origin = 'human' THEN
        NEW.author := session_user;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_segments() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT {s}.desk_trusted(TG_TABLE_SCHEMA)
       AND {s}.desk_story_state(TG_TABLE_SCHEMA, OLD.story_id) >= 70
       AND NOT {s}.desk_has_role(TG_TABLE_SCHEMA, 'editor')
       AND NOT {s}.desk_has_role(TG_TABLE_SCHEMA, 'batch') THEN
        PERFORM {s}.desk_refuse(format(
            'story %s is submitted, approved or published: only editors change it', OLD.story_id));
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_approvals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    edited boolean;
    submitter text;
BEGIN
    IF {s}.desk_trusted(TG_TABLE_SCHEMA) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM {s}.desk_refuse('approvals are never deleted (withdraw them)');
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF NEW.id <> OLD.id OR NEW.story_id <> OLD.story_id OR NEW."user" <> OLD."user"
           OR NEW.at <> OLD.at OR NEW.note IS DISTINCT FROM OLD.note
           OR OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL THEN
            PERFORM {s}.desk_refuse('an approval can only be withdrawn');
        END IF;
        RETURN NEW;
    END IF;
    IF NOT {s}.desk_has_role(TG_TABLE_SCHEMA, 'editor') THEN
        PERFORM {s}.desk_refuse(format('only editors may approve stories (%s is not in %s)',
                                       session_user, TG_TABLE_SCHEMA || '_editor'));
    END IF;
    NEW."user" := session_user;
    IF {s}.desk_story_state(TG_TABLE_SCHEMA, NEW.story_id) IS DISTINCT FROM 70 THEN
        PERFORM {s}.desk_refuse(format('story %s is not submitted; only submitted stories can be approved',
                                       NEW.story_id));
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.versions WHERE story_id = $1 '
                   'AND author = $2 AND origin = ''human'')', TG_TABLE_SCHEMA)
        INTO edited USING NEW.story_id, session_user::text;
    IF edited THEN
        PERFORM {s}.desk_refuse(format(
            'four-eyes rule: %s edited story %s, so another editor must approve it',
            session_user, NEW.story_id));
    END IF;
    EXECUTE format('SELECT "user" FROM %I.events WHERE story_id = $1 AND action = ''submit'' '
                   'ORDER BY id DESC LIMIT 1', TG_TABLE_SCHEMA)
        INTO submitter USING NEW.story_id;
    IF submitter = session_user THEN
        PERFORM {s}.desk_refuse(format(
            'four-eyes rule: %s submitted story %s, so another editor must approve it',
            session_user, NEW.story_id));
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_stories() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE active integer;
BEGIN
    IF {s}.desk_trusted(TG_TABLE_SCHEMA) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM {s}.desk_refuse('stories are never deleted');
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.state > 30 THEN
            PERFORM {s}.desk_refuse('a new story starts as ingested or translated');
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.state = OLD.state THEN
        RETURN NEW;
    END IF;
    IF NEW.state = 90 THEN
        IF NOT {s}.desk_has_role(TG_TABLE_SCHEMA, 'editor') THEN
            PERFORM {s}.desk_refuse(format('only editors may approve stories (%s is not in %s)',
                                           session_user, TG_TABLE_SCHEMA || '_editor'));
        END IF;
        EXECUTE format('SELECT count(*) FROM %I.approvals WHERE story_id = $1 '
                       'AND withdrawn_at IS NULL', TG_TABLE_SCHEMA)
            INTO active USING NEW.id;
        IF active = 0 OR OLD.state <> 70 THEN
            PERFORM {s}.desk_refuse(format('story %s has no approval of its submitted text', NEW.id));
        END IF;
    ELSIF NEW.state = 100 THEN
        IF NOT {s}.desk_has_role(TG_TABLE_SCHEMA, 'editor') THEN
            PERFORM {s}.desk_refuse(format('only editors may publish stories (%s is not in %s)',
                                           session_user, TG_TABLE_SCHEMA || '_editor'));
        END IF;
        IF OLD.state <> 90 THEN
            PERFORM {s}.desk_refuse(format('story %s is not approved; only approved text is published',
                                           NEW.id));
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_publications() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF {s}.desk_trusted(TG_TABLE_SCHEMA) THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF NOT {s}.desk_has_role(TG_TABLE_SCHEMA, 'editor') THEN
        PERFORM {s}.desk_refuse(format('only editors may publish stories (%s is not in %s)',
                                       session_user, TG_TABLE_SCHEMA || '_editor'));
    END IF;
    IF TG_OP = 'DELETE' THEN
        PERFORM {s}.desk_refuse('publications are never deleted');
    END IF;
    IF {s}.desk_story_state(TG_TABLE_SCHEMA, NEW.story_id) NOT IN (90, 100) THEN
        PERFORM {s}.desk_refuse(format('story %s is not approved; only approved text is published',
                                       NEW.story_id));
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_admin_only() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT {s}.desk_trusted(TG_TABLE_SCHEMA) THEN
        PERFORM {s}.desk_refuse(format('only the desk''s admin (%s) changes %s',
                                       TG_TABLE_SCHEMA || '_admin', TG_TABLE_NAME));
    END IF;
    RETURN COALESCE(NEW, OLD);
END $$;

CREATE TRIGGER desk_rule_events BEFORE INSERT ON {s}.events
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_stamp_user();
CREATE TRIGGER desk_rule_comments BEFORE INSERT ON {s}.comments
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_stamp_user();
CREATE TRIGGER desk_rule_versions BEFORE INSERT OR UPDATE OR DELETE ON {s}.versions
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_versions();
CREATE TRIGGER desk_rule_segments BEFORE UPDATE ON {s}.segments
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_segments();
CREATE TRIGGER desk_rule_approvals BEFORE INSERT OR UPDATE OR DELETE ON {s}.approvals
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_approvals();
CREATE TRIGGER desk_rule_stories BEFORE INSERT OR UPDATE OR DELETE ON {s}.stories
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_stories();
CREATE TRIGGER desk_rule_publications BEFORE INSERT OR DELETE ON {s}.publications
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_publications();
CREATE TRIGGER desk_rule_team BEFORE INSERT OR UPDATE OR DELETE ON {s}.team_members
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_admin_only();
"""


def claim_rules_sql(schema: str) -> str:
    """Claims and language pairs, enforced for translators (sessions that are neither trusted nor
    editors nor the batch), as the CLI checks them (translate/review/access.py):

    | table    | rule                                                                         |
    |----------|------------------------------------------------------------------------------|
    | stories  | a translator claims only for themselves, only a story of a pair they work on |
    |          | (`team_members.pairs`; an empty list is every pair), and not while another's |
    |          | lease runs (`claim_until` later than the server's clock); releases only      |
    |          | their own or a lapsed claim; submits only a story they hold; never changes   |
    |          | its language pair, priority or deadline                                      |
    | versions | a translator adds versions only to a story they hold                         |
    | segments | a translator changes segments only of a story they hold                      |

    Created in a migration of their own after `team_rules_sql` (functions replaced, triggers
    dropped and made again, so it can run again)."""
    s = '"' + schema.replace('"', '""') + '"'
    return f"""
CREATE OR REPLACE FUNCTION {s}.desk_translator_only(_schema text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT NOT {s}.desk_trusted(_schema)
       AND NOT {s}.desk_has_role(_schema, 'editor')
       AND NOT {s}.desk_has_role(_schema, 'batch')
$$;

CREATE OR REPLACE FUNCTION {s}.desk_works_on(_pair text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE pairs jsonb;
BEGIN
    SELECT m.pairs::jsonb INTO pairs FROM {s}.team_members m
     WHERE m.name = session_user AND m.role = 'translator';
    RETURN pairs IS NOT NULL AND (pairs = '[]'::jsonb OR pairs ? _pair);
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_holds(_story text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM {s}.stories WHERE id = _story AND claimed_by = session_user)
$$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_stories_claims() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE pair text := NEW.language || '-' || NEW.target_language;
BEGIN
    IF NOT {s}.desk_translator_only(TG_TABLE_SCHEMA) THEN
        RETURN NEW;
    END IF;
    IF NEW.language IS DISTINCT FROM OLD.language
       OR NEW.target_language IS DISTINCT FROM OLD.target_language
       OR NEW.priority IS DISTINCT FROM OLD.priority
       OR NEW.deadline IS DISTINCT FROM OLD.deadline THEN
        PERFORM {s}.desk_refuse(format(
            'only editors change the language pair, priority or deadline of story %s', NEW.id));
    END IF;
    IF NEW.claimed_by IS DISTINCT FROM OLD.claimed_by THEN
        IF NEW.claimed_by IS NOT NULL AND NEW.claimed_by <> session_user THEN
            PERFORM {s}.desk_refuse(format(
                '%s cannot give story %s to %s: only editors assign stories',
                session_user, NEW.id, NEW.claimed_by));
        END IF;
        IF OLD.claimed_by IS NOT NULL AND OLD.claimed_by <> session_user
           AND OLD.claim_until IS NOT NULL AND OLD.claim_until::timestamptz > now() THEN
            PERFORM {s}.desk_refuse(format('story %s is claimed by %s until %s',
                                           NEW.id, OLD.claimed_by, OLD.claim_until));
        END IF;
        IF NEW.claimed_by = session_user AND NOT {s}.desk_works_on(pair) THEN
            PERFORM {s}.desk_refuse(format('%s does not work on %s (story %s)',
                                           session_user, pair, NEW.id));
        END IF;
    END IF;
    IF NEW.state = 70 AND OLD.state <> 70 AND OLD.claimed_by IS DISTINCT FROM session_user THEN
        PERFORM {s}.desk_refuse(format('%s has not claimed story %s, so cannot submit it',
                                       session_user, NEW.id));
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {s}.desk_rule_claimed_work() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF {s}.desk_translator_only(TG_TABLE_SCHEMA) AND NOT {s}.desk_holds(NEW.story_id) THEN
        PERFORM {s}.desk_refuse(format('%s has not claimed story %s: claim it before changing it',
                                       session_user, NEW.story_id));
    END IF;
    RETURN NEW;
END $$;

-- named to fire after the team rules' triggers on the same tables (BEFORE triggers fire in name
-- order), so a story past submission is refused with their message first
DROP TRIGGER IF EXISTS desk_rule_stories_claims ON {s}.stories;
CREATE TRIGGER desk_rule_stories_claims BEFORE UPDATE ON {s}.stories
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_stories_claims();
DROP TRIGGER IF EXISTS desk_rule_versions_claimed ON {s}.versions;
CREATE TRIGGER desk_rule_versions_claimed BEFORE INSERT ON {s}.versions
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_claimed_work();
DROP TRIGGER IF EXISTS desk_rule_segments_claimed ON {s}.segments;
CREATE TRIGGER desk_rule_segments_claimed BEFORE UPDATE ON {s}.segments
    FOR EACH ROW EXECUTE FUNCTION {s}.desk_rule_claimed_work();
"""
