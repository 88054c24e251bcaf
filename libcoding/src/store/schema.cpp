// The project file's schema: one script per version step, and the tables that history
// records (docs/design.md, "The project file").

#include "project_impl.hpp"

namespace coding::detail {

// Each entry moves the schema from version i to i + 1 (see docs/design.md).
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE groups (
  id TEXT PRIMARY KEY, label TEXT NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE codes (
  id TEXT PRIMARY KEY, parent TEXT REFERENCES codes(id), local_id TEXT NOT NULL,
  label TEXT NOT NULL, description TEXT NOT NULL, include TEXT NOT NULL,
  exclude TEXT NOT NULL, example TEXT NOT NULL, color TEXT NOT NULL,
  depth INTEGER NOT NULL, ord INTEGER NOT NULL);
CREATE TABLE cases (id TEXT PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE case_attributes (
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (case_id, name));
CREATE TABLE documents (
  id TEXT PRIMARY KEY, ord INTEGER NOT NULL, title TEXT NOT NULL,
  source_name TEXT NOT NULL, source_hash TEXT NOT NULL, text_hash TEXT NOT NULL,
  text TEXT NOT NULL, length INTEGER NOT NULL, lines INTEGER NOT NULL,
  case_id TEXT REFERENCES cases(id));
CREATE TABLE speakers (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  label TEXT NOT NULL, case_id TEXT REFERENCES cases(id), ord INTEGER NOT NULL,
  PRIMARY KEY (doc_id, label));
CREATE TABLE turns (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, speaker TEXT NOT NULL, case_id TEXT REFERENCES cases(id),
  start INTEGER NOT NULL, end INTEGER NOT NULL, time REAL,
  PRIMARY KEY (doc_id, seq));
CREATE TABLE codings (
  id INTEGER PRIMARY KEY,
  doc_id TEXT NOT NULL REFERENCES documents(id),
  start INTEGER NOT NULL, end INTEGER NOT NULL,
  code_id TEXT NOT NULL REFERENCES codes(id),
  coder TEXT NOT NULL, memo TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
  CHECK (start >= 0 AND start < end),
  UNIQUE (doc_id, start, end, code_id, coder));
CREATE INDEX codings_by_code ON codings(code_id);
INSERT INTO meta (key, value) VALUES ('application', 'qcode');
)sql",
    // 2: a coding whose passage changed on re-import is kept with a note for review.
    R"sql(
ALTER TABLE codings ADD COLUMN review TEXT NOT NULL DEFAULT '';
)sql",
    // 3: history. Triggers (install_history_triggers) log the inverse SQL of every row
    // change into undolog under the current entry; undo replays it backwards.
    R"sql(
CREATE TABLE history (
  id INTEGER PRIMARY KEY, time TEXT NOT NULL, coder TEXT NOT NULL, command TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'done');
CREATE TABLE undolog (
  seq INTEGER PRIMARY KEY, entry INTEGER NOT NULL, kind TEXT NOT NULL, tbl TEXT NOT NULL,
  op TEXT NOT NULL, sql TEXT NOT NULL);
CREATE INDEX undolog_by_entry ON undolog(entry, kind, seq);
CREATE TABLE history_state (
  id INTEGER PRIMARY KEY CHECK (id = 1), current INTEGER, kind TEXT NOT NULL DEFAULT 'undo');
INSERT INTO history_state (id, current) VALUES (1, NULL);
)sql",
    // 4: chart summaries (one per case and code) and the GUIDs entities keep for life
    // (REFI-QDA). A GUID not stored in guids is derived from the project's uuid.
    R"sql(
CREATE TABLE summaries (
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  code_id TEXT NOT NULL REFERENCES codes(id),
  text TEXT NOT NULL, draft INTEGER NOT NULL DEFAULT 0,
  author TEXT NOT NULL, updated TEXT NOT NULL,
  PRIMARY KEY (case_id, code_id));
CREATE TABLE guids (
  kind TEXT NOT NULL, key TEXT NOT NULL, guid TEXT NOT NULL, PRIMARY KEY (kind, key));
INSERT INTO meta (key, value) VALUES ('uuid', lower(hex(randomblob(16))));
)sql",
    // 5: speaker mappings that stay with their document: whether a label is an
    // interviewer, and whether the researcher mapped it (a declared mapping survives a
    // re-import). Before, a mapping to a case other than the document's own was declared.
    R"sql(
ALTER TABLE speakers ADD COLUMN interviewer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE speakers ADD COLUMN declared INTEGER NOT NULL DEFAULT 0;
UPDATE speakers SET interviewer = 1 WHERE case_id IS NULL AND label IN
  ('I', 'IV', 'INT', 'Int', 'Interviewer', 'INTERVIEWER', 'Q', 'Moderator', 'MODERATOR', 'Mod',
   'Facilitator', 'FACILITATOR', 'Researcher', 'RESEARCHER');
UPDATE speakers SET declared = 1 WHERE case_id IS NOT NULL
  AND case_id IS NOT (SELECT d.case_id FROM documents d WHERE d.id = speakers.doc_id);
)sql",
    // 6: the researcher's memos on documents and cases ('' for none). History's triggers
    // are built again after the migration, so undo restores the memos too.
    R"sql(
ALTER TABLE documents ADD COLUMN memo TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN memo TEXT NOT NULL DEFAULT '';
)sql",
    // 7: saved queries (docs/queries.md#saved-queries): a name for an expression, with
    // who saved it and when. Tracked by history, so saving and removing can be undone.
    R"sql(
CREATE TABLE queries (
  name TEXT PRIMARY KEY, expression TEXT NOT NULL, author TEXT NOT NULL, updated TEXT NOT NULL);
)sql",
};

// The tables whose changes history records.
const char* const kTracked[] = {"meta",      "groups",   "codes", "cases",   "case_attributes",
                                "documents", "speakers", "turns", "codings", "summaries",
                                "guids",     "queries"};

}  // namespace coding::detail
