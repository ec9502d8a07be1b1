-- CreateIndex
CREATE INDEX "events_timeseries_idx" ON "events"("project_id", "timestamp_us", "session_id", "status", "prompt_tokens", "completion_tokens", "cost_usd");
