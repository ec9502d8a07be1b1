-- Hand-written (no schema change): search_text now stores LIKE's special characters %, _ and \
-- as the control characters 1, 2 and 3, as the server writes it (see foldForSearch), so a search
-- for them matches them literally.
UPDATE "sessions" SET "search_text" = replace(replace(replace("search_text", '%', char(1)), '_', char(2)), '\', char(3));
