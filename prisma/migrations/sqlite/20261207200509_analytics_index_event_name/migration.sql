-- DropIndex
DROP INDEX "events_analytics_idx";

-- CreateIndex
CREATE INDEX "events_analytics_idx" ON "events"("project_id", "type", "session_id", "status", "duration_ms", "timestamp_us", "model", "prompt_tokens", "completion_tokens", "cost_usd", "name");
