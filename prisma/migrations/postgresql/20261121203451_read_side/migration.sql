-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "duration_us" BIGINT,
ADD COLUMN     "search_text" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "session_tags" (
    "session_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,

    CONSTRAINT "session_tags_pkey" PRIMARY KEY ("session_id","tag")
);

-- CreateTable
CREATE TABLE "session_metadata" (
    "session_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "session_metadata_pkey" PRIMARY KEY ("session_id","key")
);

-- CreateTable
CREATE TABLE "session_models" (
    "session_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "model" TEXT NOT NULL,

    CONSTRAINT "session_models_pkey" PRIMARY KEY ("session_id","model")
);

-- CreateIndex
CREATE INDEX "session_tags_project_id_tag_session_id_idx" ON "session_tags"("project_id", "tag", "session_id");

-- CreateIndex
CREATE INDEX "session_metadata_project_id_key_value_session_id_idx" ON "session_metadata"("project_id", "key", "value", "session_id");

-- CreateIndex
CREATE INDEX "session_models_project_id_model_session_id_idx" ON "session_models"("project_id", "model", "session_id");

-- CreateIndex
CREATE INDEX "sessions_project_id_last_event_at_us_id_idx" ON "sessions"("project_id", "last_event_at_us", "id");

-- CreateIndex
CREATE INDEX "sessions_project_id_duration_us_id_idx" ON "sessions"("project_id", "duration_us", "id");

-- CreateIndex
CREATE INDEX "sessions_project_id_cost_usd_id_idx" ON "sessions"("project_id", "cost_usd", "id");

-- CreateIndex
CREATE INDEX "sessions_project_id_event_count_id_idx" ON "sessions"("project_id", "event_count", "id");

-- CreateIndex
CREATE INDEX "sessions_project_id_status_started_at_us_idx" ON "sessions"("project_id", "status", "started_at_us");

-- CreateIndex
CREATE INDEX "sessions_project_id_agent_id_started_at_us_idx" ON "sessions"("project_id", "agent_id", "started_at_us");

-- AddForeignKey
ALTER TABLE "session_tags" ADD CONSTRAINT "session_tags_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_metadata" ADD CONSTRAINT "session_metadata_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session_models" ADD CONSTRAINT "session_models_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill (hand-written): derived columns and filter side tables for sessions stored before this
-- migration. The write path keeps them current from here on.
UPDATE "sessions" SET
    "search_text" = lower(coalesce("name", '') || E'\n' || "key"),
    "duration_us" = coalesce("ended_at_us", "last_event_at_us") - "started_at_us";
INSERT INTO "session_tags" ("session_id", "project_id", "tag")
    SELECT s."id", s."project_id", t.tag FROM "sessions" s, jsonb_array_elements_text(s."tags") AS t(tag)
    ON CONFLICT DO NOTHING;
INSERT INTO "session_metadata" ("session_id", "project_id", "key", "value")
    SELECT s."id", s."project_id", m.key, m.value::text FROM "sessions" s, jsonb_each(s."metadata") AS m(key, value)
    WHERE s."metadata" IS NOT NULL AND jsonb_typeof(m.value) NOT IN ('object', 'array')
    ON CONFLICT DO NOTHING;
INSERT INTO "session_models" ("session_id", "project_id", "model")
    SELECT DISTINCT "session_id", "project_id", "model" FROM "events" WHERE "type" = 'LLM_CALL' AND "model" IS NOT NULL
    ON CONFLICT DO NOTHING;
