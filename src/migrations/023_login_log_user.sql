-- 023 the login log of one username, newest first. The log grows by every login and logout of
-- every user, and 登录日志 filtered by a username walked all of it (1.1 G instructions a page with
-- a million entries); this index reads that user's entries from the newest on.
CREATE INDEX login_log_user ON login_log (username, id);
