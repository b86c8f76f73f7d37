/* sandbox/settings/config_rules.c: the config file's [user:NAME] and
 * [group:NAME] rules, and the defaults every run gets. */
#include "config_fixture.h"
#include "sandbox/sandbox_error.h"
#include "sandbox/settings/dir_rules.h"

#include <grp.h>
#include <pwd.h>
#include <string.h>

static void
test_load_file_user_and_group_rules (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "[isolatefs]\n"
                         "max_mem=4G\n"
                         "[user:61700]\n"
                         "max_mem=1G\n"
                         "max_boxes=2\n"
                         "[group:61800]\n"
                         "max_mem=2G\n"
                         "max_time=5\n"
                         "max_boxes=7\n"
                         "[user:root]\n"
                         "max_boxes=3\n");
  g_assert_true (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_no_error (error);

  Caller user = { 61700, 61800 }, member = { 61701, 61800 }, other = { 61702, 61702 };
  /* The user's own rule first, then the group's, then the daemon-wide value. */
  g_assert_cmpint (daemon_config_maximum (fx->config, LIMIT_MEM, &user), ==, 1024 * 1024);
  g_assert_cmpint (daemon_config_maximum (fx->config, LIMIT_TIME, &user), ==, 5000);
  g_assert_cmpint (daemon_config_maximum (fx->config, LIMIT_MEM, &member), ==, 2 * 1024 * 1024);
  g_assert_cmpint (daemon_config_maximum (fx->config, LIMIT_MEM, &other), ==, 4 * 1024 * 1024);
  g_assert_cmpuint (daemon_config_box_quota (fx->config, &user), ==, 2);
  g_assert_cmpuint (daemon_config_box_quota (fx->config, &member), ==, 7);
  g_assert_cmpuint (daemon_config_box_quota (fx->config, &other), ==, G_MAXUINT32);
  Caller root = { 0, 0 };
  g_assert_cmpuint (daemon_config_box_quota (fx->config, &root), ==, 3);
}

/* A user who left the host (or a group removed) is warned about and
 * skipped: it must not stop the daemon, and with it the boot mount. */
static void
test_load_file_skips_missing_user (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  write_config_file (fx, "[isolatefs]\n"
                         "max_mem=4G\n"
                         "[user:no-such-user-here]\n"
                         "max_boxes=1\n"
                         "[group:no-such-group-here]\n"
                         "max_mem=1G\n"
                         "[user:61700]\n"
                         "max_boxes=2\n");
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*[user:no-such-user-here]: no such user on this host; its settings are "
                         "skipped");
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                         "*[group:no-such-group-here]: no such group*skipped");
  g_assert_true (daemon_config_load_file (fx->config, fx->path, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  Caller user = { 61700, 61700 };
  g_assert_cmpuint (daemon_config_box_quota (fx->config, &user), ==, 2);
  g_assert_cmpint (daemon_config_maximum (fx->config, LIMIT_MEM, &user), ==, 4 * 1024 * 1024);
  g_assert_cmpuint (g_hash_table_size (fx->config->user_rules), ==, 1);
  g_assert_cmpuint (g_hash_table_size (fx->config->group_rules), ==, 0);
}

/* A group of this host that lists a member whose primary group it is not
 * (Debian gives each user a group of their own); FALSE if there is none. */
static gboolean
find_supplementary_member (gid_t *gid, uid_t *uid, gid_t *primary)
{
  gboolean found = FALSE;
  setgrent ();
  for (struct group *group; !found && (group = getgrent ()) != NULL;)
    for (char **member = group->gr_mem; !found && *member != NULL; member++)
      {
        struct passwd *user = getpwnam (*member);
        if (user != NULL && user->pw_gid != group->gr_gid)
          {
            *gid = group->gr_gid;
            *uid = user->pw_uid;
            *primary = user->pw_gid;
            found = TRUE;
          }
      }
  endgrent ();
  return found;
}

/* [group:NAME] binds its members, not only those whose primary group it
 * is; a user in several groups with rules gets what the most generous
 * allows, and their own [user:NAME] wins over all. */
static void
test_group_rules_follow_supplementary_groups (ConfigFixture *fx, gconstpointer data)
{
  gid_t gid, primary;
  uid_t uid;
  if (!find_supplementary_member (&gid, &uid, &primary))
    {
      g_test_skip ("no group of this host lists a member whose primary group it is not");
      return;
    }
  g_autofree char *text = g_strdup_printf ("[isolatefs]\n"
                                           "max_mem=1G\n"
                                           "[group:%u]\n"
                                           "max_mem=2G\n"
                                           "max_boxes=4\n"
                                           "[group:%u]\n"
                                           "max_mem=512M\n"
                                           "max_time=9\n",
                                           (guint) gid, (guint) primary);
  write_config_file (fx, text);
  g_autoptr (GError) error = NULL;
  g_assert_true (daemon_config_load_file (fx->config, fx->path, &error));
  Caller member = { uid, primary };
  g_assert_cmpint (daemon_config_maximum (fx->config, LIMIT_MEM, &member), ==, 2 * 1024 * 1024);
  g_assert_cmpint (daemon_config_maximum (fx->config, LIMIT_TIME, &member), ==, 9000);
  g_assert_cmpuint (daemon_config_box_quota (fx->config, &member), ==, 4);
  /* Someone else whose primary group is the member's: that rule only. */
  Caller stranger = { 61799, primary };
  g_assert_cmpint (daemon_config_maximum (fx->config, LIMIT_MEM, &stranger), ==, 512 * 1024);
}

/* default_dirs and default_env: daemon-wide, then the groups', then the
 * user's, each layered over the one before (a later rule for the same
 * path or variable wins), and the box's own over all of them at the run. */
static void
test_default_dirs_and_env (ConfigFixture *fx, gconstpointer data)
{
  write_config_file (fx, "[isolatefs]\n"
                         "default_dirs=/etc=;/data=/srv/data\n"
                         "default_env=LANG=C.UTF-8;TZ=UTC\n"
                         "[group:61800]\n"
                         "default_dirs=/course=/srv/course:rw\n"
                         "default_env=TZ=Europe/Paris\n"
                         "[user:61700]\n"
                         "default_dirs=/data=\n"
                         "default_env=JUDGE=1\n");
  g_autoptr (GError) error = NULL;
  g_assert_true (daemon_config_load_file (fx->config, fx->path, &error));
  g_assert_no_error (error);
  Caller user = { 61700, 61800 }, member = { 61701, 61800 }, other = { 61702, 61702 };

  g_autofree char *user_dirs = daemon_config_default_dirs (fx->config, &user);
  g_autofree char *member_dirs = daemon_config_default_dirs (fx->config, &member);
  g_autofree char *other_dirs = daemon_config_default_dirs (fx->config, &other);
  g_assert_cmpstr (other_dirs, ==, "/etc=\n/data=/srv/data\n");
  g_assert_cmpstr (member_dirs, ==, "/etc=\n/data=/srv/data\n/course=/srv/course:rw\n");
  /* As the jail takes them: the user's "/data=" drops the daemon-wide bind. */
  g_autoptr (GPtrArray) rules = NULL;
  g_assert_true (dir_rules_parse (user_dirs, &rules, &error));
  g_autofree char *canonical = dir_rules_format (rules);
  g_assert_cmpstr (canonical, ==, "/etc=\n/course=/srv/course:rw\n/data=\n");

  g_auto (GStrv) user_env = daemon_config_default_env (fx->config, &user);
  g_auto (GStrv) other_env = daemon_config_default_env (fx->config, &other);
  g_autofree char *user_env_text = g_strjoinv (" ", user_env);
  g_autofree char *other_env_text = g_strjoinv (" ", other_env);
  g_assert_cmpstr (other_env_text, ==, "LANG=C.UTF-8 TZ=UTC");
  g_assert_cmpstr (user_env_text, ==, "LANG=C.UTF-8 TZ=UTC TZ=Europe/Paris JUDGE=1");

  /* None configured: nothing. */
  g_autoptr (DaemonConfig) plain = daemon_config_new ();
  g_autofree char *none = daemon_config_default_dirs (plain, &user);
  g_assert_null (none);
  g_auto (GStrv) no_env = daemon_config_default_env (plain, &user);
  g_assert_cmpuint (g_strv_length (no_env), ==, 0);
}

/* A reload keeps what a running daemon cannot change, and says which. */
static void
test_keep_fixed (ConfigFixture *fx, gconstpointer data)
{
  g_autoptr (DaemonConfig) running = daemon_config_new ();
  set_ok (fx->config, "state_dir", "/srv/elsewhere");
  set_ok (fx->config, "first_uid", "70000");
  set_ok (fx->config, "max_mem", "1G");
  set_ok (fx->config, "max_boxes", "5");
  g_autofree char *changed = daemon_config_keep_fixed (fx->config, running);
  g_assert_cmpstr (changed, ==, "state_dir, first_uid");
  g_assert_cmpstr (fx->config->state_dir, ==, running->state_dir);
  g_assert_cmpuint (fx->config->first_uid, ==, running->first_uid);
  /* The rest is the file's. */
  g_assert_cmpint (fx->config->limit_maximum[LIMIT_MEM], ==, 1024 * 1024);
  g_assert_cmpuint (fx->config->max_boxes, ==, 5);
  g_autofree char *none = daemon_config_keep_fixed (fx->config, running);
  g_assert_cmpstr (none, ==, "");
}

static void
test_load_file_refuses_bad_rules (ConfigFixture *fx, gconstpointer data)
{
  const char *const bad[] = {
    "[user:61700]\nstate_dir=/tmp\n",      "[user:61700]\nmax_boxes=many\n",
    "[user:61700]\nmax_mem=banana\n",      "[user:61700]\ndefault_dirs=relative\n",
    "[group:61800]\ndefault_env=1BAD=x\n", "[isolatefs]\ndefault_dirs=/a:bogus\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      write_config_file (fx, bad[i]);
      g_assert_false (daemon_config_load_file (fx->config, fx->path, &error));
      g_assert_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, ConfigFixture, NULL, config_setup, fn, config_teardown)
  ADD ("/config/load/user-and-group-rules", test_load_file_user_and_group_rules);
  ADD ("/config/load/refuses-bad-rules", test_load_file_refuses_bad_rules);
  ADD ("/config/load/skips-missing-user", test_load_file_skips_missing_user);
  ADD ("/config/load/group-rules-follow-supplementary-groups",
       test_group_rules_follow_supplementary_groups);
  ADD ("/config/load/default-dirs-and-env", test_default_dirs_and_env);
  ADD ("/config/keep-fixed", test_keep_fixed);
#undef ADD
  return g_test_run ();
}
