#pragma once

/* Writes "cannot WHAT PATH: <strerror (errnum)>" to fd, the report pipe of
 * a jail being built (jail.h), in one write. */
void jail_report (int fd, const char *what, const char *path, int errnum);
