/* The files inside a box: values, write semantics, errnos, stdin, ctl. */

#include "mount_fixture.h"

#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

/* Writing each of these is refused with EINVAL and the old value stays. */
typedef struct
{
  const char *file;
  const char *good;     /* written first */
  const char *readback; /* what good reads back as */
  const char *bad[8];
} ValueCase;

static const ValueCase value_cases[] = {
  { "mem",
    "128M",
    "131072\n",
    { "banana", "\n", "-1", "0", "1.5M", "12Q", "99999999999999999999T", NULL } },
  { "time", "0.5", "0.500\n", { "banana", "-1", "1e3", "1,5", ".", "604801", "unlimitedx", NULL } },
  { "wall-time", "2", "2.000\n", { "x", "-2", "2s", "\n", NULL } },
  { "extra-time", "0.25", "0.250\n", { "-0.1", "a", "1 s", NULL } },
  { "processes", "10", "10\n", { "0", "-1", "1.5", "ten", "1M", NULL } },
  { "fsize", "1G", "1048576\n", { "-1", "1P", "big", NULL } },
  { "stack", "unlimited", "unlimited\n", { "0", "x", NULL } },
  { "open-files", "100", "100\n", { "0", "-5", "1K", NULL } },
  { "share-net", "1", "1\n", { "2", "yes", "-1", "\n", NULL } },
  { "env",
    "A=1\nB=two words\n",
    "A=1\nB=two words\n",
    { "NOEQUALS", "1A=x", "A-B=1", "=x", NULL } },
  { "dirs",
    "/etc:noexec\n/data=/srv/data:rw\n",
    "/etc=/etc:noexec\n/data=/srv/data:rw\n",
    { "etc", "/a/../b", "/x:bogus", "/x=rel", "/t=x:tmp", "/f=a/b:fs", "/", NULL } },
};

static void
test_values_and_refusals (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (value_cases); i++)
    {
      const ValueCase *c = &value_cases[i];
      g_autofree char *path = g_build_filename ("b", c->file, NULL);
      g_assert_cmpint (put (fixture->mount, path, c->good), ==, 0);
      assert_reads (fixture->mount, path, c->readback);
      for (guint j = 0; c->bad[j] != NULL; j++)
        {
          g_test_message ("%s <- '%s'", c->file, c->bad[j]);
          g_assert_cmpint (put (fixture->mount, path, c->bad[j]), ==, EINVAL);
          assert_reads (fixture->mount, path, c->readback);
        }
    }
}

static void
test_defaults_are_bounded (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  assert_reads (fixture->mount, "b/mem", "262144\n");
  assert_reads (fixture->mount, "b/time", "1.000\n");
  assert_reads (fixture->mount, "b/wall-time", "5.000\n");
  assert_reads (fixture->mount, "b/processes", "1\n");
  assert_reads (fixture->mount, "b/share-net", "0\n");
  assert_reads (fixture->mount, "b/env", "");
}

static void
test_unlimited_and_zero (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/time", "0"), ==, 0);
  assert_reads (fixture->mount, "b/time", "unlimited\n");
  g_assert_cmpint (put (fixture->mount, "b/mem", "unlimited"), ==, 0);
  assert_reads (fixture->mount, "b/mem", "unlimited\n");
  g_assert_cmpint (put (fixture->mount, "b/fsize", "0"), ==, 0);
  assert_reads (fixture->mount, "b/fsize", "0\n");
}

static void
test_configured_maximum (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  /* Mounted with max_mem=1G,max_share-net=0,default_time=2. The maximums
   * bind every user but root (test_users.c checks a user), and a value
   * root set above one survives a restart. */
  assert_reads (fixture->mount, "b/time", "2.000\n");
  g_assert_cmpint (put (fixture->mount, "b/mem", "1048577"), ==, 0);
  g_assert_cmpint (put (fixture->mount, "b/share-net", "1"), ==, 0);
  mount_restart (fixture->mount);
  assert_reads (fixture->mount, "b/mem", "1048577\n");
  assert_reads (fixture->mount, "b/share-net", "1\n");
}

static void
test_write_semantics (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  /* With or without the newline, with or without O_TRUNC, at any offset. */
  g_assert_cmpint (put_bytes (mount, "b/mem", "1M", 2, 0), ==, 0);
  assert_reads (mount, "b/mem", "1024\n");
  g_assert_cmpint (put_bytes (mount, "b/mem", "2M\n", 3, O_TRUNC), ==, 0);
  assert_reads (mount, "b/mem", "2048\n");
  g_autofree char *path = mount_path (mount, "b/mem");
  int fd = open (path, O_WRONLY);
  g_assert_cmpint (pwrite (fd, "3M", 2, 100), ==, 2);
  close (fd);
  assert_reads (mount, "b/mem", "3072\n");
  g_assert_cmpint (truncate (path, 0), ==, 0);
  assert_reads (mount, "b/mem", "3072\n");
  /* The read-only files are never truncated, not even to 0. */
  static const char *const read_only[] = { "b/status", "b/stdout", "b/stderr" };
  for (guint i = 0; i < G_N_ELEMENTS (read_only); i++)
    {
      g_autofree char *file = mount_path (mount, read_only[i]);
      g_assert_cmpint (truncate (file, 0), ==, -1);
      g_assert_cmpint (errno, ==, EINVAL);
      g_assert_cmpint (open (file, O_RDONLY | O_TRUNC), ==, -1);
      g_assert_cmpint (errno, ==, EINVAL);
    }

  /* A NUL byte is never part of a value... */
  g_assert_cmpint (put_bytes (mount, "b/mem", "4M\0", 3, 0), ==, EINVAL);
  /* Nor bytes that are not UTF-8: the state file is JSON and must reload. */
  g_assert_cmpint (put_bytes (mount, "b/env", "A=\xff\xfe\n", 6, 0), ==, EINVAL);
  g_assert_cmpint (put_bytes (mount, "b/cmd", "/bin/true \xff", 11, 0), ==, EINVAL);
  assert_reads (mount, "b/mem", "3072\n");

  /* One write carries at most 64 KiB. */
  gsize big = 64 * 1024 + 1;
  g_autofree char *long_value = g_strnfill (big, '1');
  g_assert_cmpint (put_bytes (mount, "b/env", long_value, big, 0), ==, E2BIG);
}

static void
test_multi_line_writes_build_one_value (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *path = mount_path (fixture->mount, "b/env");
  int fd = open (path, O_WRONLY | O_TRUNC);
  g_assert_cmpint (write (fd, "A=1\n", 4), ==, 4);
  g_assert_cmpint (write (fd, "B=2\n", 4), ==, 4);
  close (fd);
  assert_reads (fixture->mount, "b/env", "A=1\nB=2\n");

  /* A new open starts a new value: the whole set is replaced. */
  g_assert_cmpint (put (fixture->mount, "b/env", "C=3\n"), ==, 0);
  assert_reads (fixture->mount, "b/env", "C=3\n");
  /* An empty value (echo > env) clears it; truncation alone does not. */
  g_assert_cmpint (put (fixture->mount, "b/env", "\n"), ==, 0);
  assert_reads (fixture->mount, "b/env", "");

  /* A refused line takes nothing back: later writes through the same
   * descriptor go on from the last accepted one. */
  fd = open (path, O_WRONLY | O_TRUNC);
  g_assert_cmpint (write (fd, "A=1\n", 4), ==, 4);
  g_assert_cmpint (write (fd, "bad line\n", 9), ==, -1);
  g_assert_cmpint (errno, ==, EINVAL);
  g_assert_cmpint (write (fd, "B=2\n", 4), ==, 4);
  close (fd);
  assert_reads (fixture->mount, "b/env", "A=1\nB=2\n");
}

static void
test_modes_are_enforced_for_root (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/status", "x"), ==, EACCES);
  g_assert_cmpint (put (mount, "b/stdout", "x"), ==, EACCES);
  g_autofree char *ctl = get (mount, "b/ctl");
  g_assert_null (ctl);
  g_assert_cmpint (errno, ==, EACCES);

  g_autofree char *mem = mount_path (mount, "b/mem");
  g_autofree char *other = mount_path (mount, "b/other");
  g_autofree char *new_file = mount_path (mount, "b/new");
  g_assert_cmpint (unlink (mem), ==, -1);
  g_assert_cmpint (errno, ==, EPERM);
  g_assert_cmpint (rename (mem, other), ==, -1);
  g_assert_cmpint (errno, ==, EPERM);
  g_assert_cmpint (chmod (mem, 0666), ==, -1);
  g_assert_cmpint (errno, ==, EPERM);
  g_assert_cmpint (open (new_file, O_WRONLY | O_CREAT, 0644), ==, -1);
  g_assert_cmpint (errno, ==, EACCES);
  g_assert_cmpint (symlink ("/etc/passwd", other), ==, -1);
  g_assert_cmpint (errno, ==, EPERM);
}

static void
test_never_run_box (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  assert_reads (mount, "b/status", "state:idle\n");
  assert_reads (mount, "b/stdout", "");
  assert_reads (mount, "b/stderr", "");
  assert_reads (mount, "b/cmd", "");
  g_assert_cmpint (put (mount, "b/ctl", "kill"), ==, 0);
  g_assert_cmpint (put (mount, "b/ctl", "explode"), ==, EINVAL);
  g_assert_cmpint (put (mount, "b/cmd", "\n"), ==, EINVAL);
  g_assert_cmpint (put (mount, "b/cmd", "   "), ==, EINVAL);
  g_assert_cmpint (put (mount, "b/cmd", "echo 'unterminated"), ==, EINVAL);
  assert_reads (mount, "b/status", "state:idle\n");
}

static void
test_reset_empties_box_without_following_links (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  /* A file outside the box that a planted link points at must survive. */
  g_autofree char *outside = g_build_filename (mount->tmp_dir, "outside.txt", NULL);
  g_assert_true (g_file_set_contents (outside, "keep me", -1, NULL));
  g_autofree char *outside_dir = g_build_filename (mount->tmp_dir, "outside-dir", NULL);
  g_assert_cmpint (g_mkdir (outside_dir, 0755), ==, 0);
  g_autofree char *outside_dir_file = g_build_filename (outside_dir, "inner", NULL);
  g_assert_true (g_file_set_contents (outside_dir_file, "keep me too", -1, NULL));

  g_autofree char *work = mount_path (mount, "b/box");
  g_autofree char *nested = g_build_filename (work, "a", "b", "c", NULL);
  g_assert_cmpint (g_mkdir_with_parents (nested, 0755), ==, 0);
  g_autofree char *nested_file = g_build_filename (nested, "f", NULL);
  g_assert_true (g_file_set_contents (nested_file, "data", -1, NULL));
  g_autofree char *link = g_build_filename (work, "link", NULL);
  g_autofree char *dir_link = g_build_filename (work, "a", "dirlink", NULL);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  g_assert_cmpint (symlink (outside_dir, dir_link), ==, 0);

  g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, 0);

  g_assert_cmpuint (count_entries (work), ==, 0);
  g_assert_true (g_file_test (outside, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (outside_dir_file, G_FILE_TEST_IS_REGULAR));
  assert_reads (mount, "b/status", "state:idle\n");
}

static void
test_stdin_is_a_regular_file (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/stdin", "hello\n"), ==, 0);
  g_assert_cmpint (put_bytes (mount, "b/stdin", "world\n", 6, O_APPEND), ==, 0);
  assert_reads (mount, "b/stdin", "hello\nworld\n");

  g_autofree char *path = mount_path (mount, "b/stdin");
  int fd = open (path, O_WRONLY);
  g_assert_cmpint (pwrite (fd, "J", 1, 6), ==, 1);
  close (fd);
  assert_reads (mount, "b/stdin", "hello\nJorld\n");
  struct stat st;
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 12);

  g_assert_cmpint (truncate (path, 5), ==, 0);
  assert_reads (mount, "b/stdin", "hello");

  /* Binary data, NUL bytes included, round-trips. */
  const char binary[] = { 0, 1, 2, '\n', (char) 0xff, 0 };
  g_assert_cmpint (put_bytes (mount, "b/stdin", binary, sizeof binary, O_TRUNC), ==, 0);
  g_autofree char *back = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (path, &back, &length, NULL));
  g_assert_cmpmem (back, length, binary, sizeof binary);

  /* O_TRUNC empties it, even with nothing written after. */
  g_assert_cmpint (put (mount, "b/stdin", "much longer than the next\n"), ==, 0);
  g_assert_cmpint (put (mount, "b/stdin", "hi\n"), ==, 0);
  assert_reads (mount, "b/stdin", "hi\n");
  g_assert_cmpint (put (mount, "b/stdin", ""), ==, 0);
  assert_reads (mount, "b/stdin", "");
}

static void
test_stdin_cap (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  /* Mounted with max_stdin=4K. */
  g_autofree char *fits = g_strnfill (4096, 'x');
  g_autofree char *too_much = g_strnfill (4097, 'x');
  g_assert_cmpint (put (fixture->mount, "b/stdin", fits), ==, 0);
  g_assert_cmpint (put (fixture->mount, "b/stdin", too_much), ==, EFBIG);
  g_autofree char *path = mount_path (fixture->mount, "b/stdin");
  g_assert_cmpint (truncate (path, 8192), ==, -1);
  g_assert_cmpint (errno, ==, EFBIG);
}

static void
test_poll_never_disabled (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *path = mount_path (fixture->mount, "b/status");
  int fd = open (path, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  struct pollfd pfd = { .fd = fd, .events = POLLIN };
  g_assert_cmpint (poll (&pfd, 1, 1000), ==, 1);
  g_assert_true (pfd.revents & POLLIN);
  close (fd);
}

#define ADD(path, function, options)                                                               \
  g_test_add (path, BoxFixture, options, box_fixture_set_up, function, box_fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/files/values-and-refusals", test_values_and_refusals, NULL);
  ADD ("/files/defaults-are-bounded", test_defaults_are_bounded, NULL);
  ADD ("/files/unlimited-and-zero", test_unlimited_and_zero, NULL);
  ADD ("/files/configured-maximum", test_configured_maximum,
       "max_mem=1G,max_share-net=0,default_time=2");
  ADD ("/files/write-semantics", test_write_semantics, NULL);
  ADD ("/files/multi-line-writes-build-one-value", test_multi_line_writes_build_one_value, NULL);
  ADD ("/files/modes-are-enforced-for-root", test_modes_are_enforced_for_root, NULL);
  ADD ("/files/never-run-box", test_never_run_box, NULL);
  ADD ("/files/reset-empties-box-without-following-links",
       test_reset_empties_box_without_following_links, NULL);
  ADD ("/files/stdin-is-a-regular-file", test_stdin_is_a_regular_file, NULL);
  ADD ("/files/stdin-cap", test_stdin_cap, "max_stdin=4K");
  ADD ("/files/poll-never-disabled", test_poll_never_disabled, NULL);
  return g_test_run ();
}
