-- CreateTable
CREATE TABLE "session_tags" (
    "session_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("session_id", "tag"),
    CONSTRAINT "session_tags_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "session_metadata" (
    "session_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    PRIMARY KEY ("session_id", "key"),
    CONSTRAINT "session_metadata_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "session_models" (
    "session_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "model" TEXT NOT NULL,

    PRIMARY KEY ("session_id", "model"),
    CONSTRAINT "session_models_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_sessions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "project_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT,
    "agent_id" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "tags" JSONB NOT NULL,
    "metadata" JSONB,
    "started_at_us" BIGINT NOT NULL,
    "ended_at_us" BIGINT,
    "last_event_at_us" BIGINT,
    "last_received_at_us" BIGINT NOT NULL,
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "error_count" INTEGER NOT NULL DEFAULT 0,
    "prompt_tokens" INTEGER NOT NULL DEFAULT 0,
    "completion_tokens" INTEGER NOT NULL DEFAULT 0,
    "cost_usd" REAL NOT NULL DEFAULT 0,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "duration_us" BIGINT,
    "search_text" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "sessions_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "sessions_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_sessions" ("agent_id", "completion_tokens", "cost_usd", "ended_at_us", "error_count", "event_count", "id", "key", "last_event_at_us", "last_received_at_us", "metadata", "name", "project_id", "prompt_tokens", "seq", "started_at_us", "status", "tags") SELECT "agent_id", "completion_tokens", "cost_usd", "ended_at_us", "error_count", "event_count", "id", "key", "last_event_at_us", "last_received_at_us", "metadata", "name", "project_id", "prompt_tokens", "seq", "started_at_us", "status", "tags" FROM "sessions";
DROP TABLE "sessions";
ALTER TABLE "new_sessions" RENAME TO "sessions";
CREATE INDEX "sessions_project_id_started_at_us_id_idx" ON "sessions"("project_id", "started_at_us", "id");
CREATE INDEX "sessions_project_id_last_event_at_us_id_idx" ON "sessions"("project_id", "last_event_at_us", "id");
CREATE INDEX "sessions_project_id_duration_us_id_idx" ON "sessions"("project_id", "duration_us", "id");
CREATE INDEX "sessions_project_id_cost_usd_id_idx" ON "sessions"("project_id", "cost_usd", "id");
CREATE INDEX "sessions_project_id_event_count_id_idx" ON "sessions"("project_id", "event_count", "id");
CREATE INDEX "sessions_project_id_status_started_at_us_idx" ON "sessions"("project_id", "status", "started_at_us");
CREATE INDEX "sessions_project_id_agent_id_started_at_us_idx" ON "sessions"("project_id", "agent_id", "started_at_us");
CREATE INDEX "sessions_status_last_received_at_us_idx" ON "sessions"("status", "last_received_at_us");
CREATE UNIQUE INDEX "sessions_project_id_key_key" ON "sessions"("project_id", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "session_tags_project_id_tag_session_id_idx" ON "session_tags"("project_id", "tag", "session_id");

-- CreateIndex
CREATE INDEX "session_metadata_project_id_key_value_session_id_idx" ON "session_metadata"("project_id", "key", "value", "session_id");

-- CreateIndex
CREATE INDEX "session_models_project_id_model_session_id_idx" ON "session_models"("project_id", "model", "session_id");

-- Backfill (hand-written): derived columns and filter side tables for sessions stored before this
-- migration. The write path keeps them current from here on. SQLite's lower() folds ASCII only;
-- the server folds all of Unicode for rows it writes.
UPDATE "sessions" SET
    "search_text" = lower(coalesce("name", '') || char(10) || "key"),
    "duration_us" = coalesce("ended_at_us", "last_event_at_us") - "started_at_us";
INSERT OR IGNORE INTO "session_tags" ("session_id", "project_id", "tag")
    SELECT s."id", s."project_id", t."value" FROM "sessions" s, json_each(s."tags") t;
INSERT OR IGNORE INTO "session_metadata" ("session_id", "project_id", "key", "value")
    SELECT s."id", s."project_id", m."key",
           CASE m."type" WHEN 'text' THEN json_quote(m."value") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                         WHEN 'null' THEN 'null' ELSE CAST(m."value" AS TEXT) END
    FROM "sessions" s, json_each(s."metadata") m
    WHERE s."metadata" IS NOT NULL AND m."type" NOT IN ('object', 'array');
INSERT OR IGNORE INTO "session_models" ("session_id", "project_id", "model")
    SELECT DISTINCT "session_id", "project_id", "model" FROM "events" WHERE "type" = 'LLM_CALL' AND "model" IS NOT NULL;
