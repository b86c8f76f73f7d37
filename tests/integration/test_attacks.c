/* Hostile programs: each test runs an attack in a box and fails if it works. */

#include "machine_speed.h"
#include "mount_fixture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <stddef.h>
#include <unistd.h>

/* Writes a Python attack into box/ of box `box`, runs it, returns status. */
static char *
attack (const Mount *mount, const char *box, const char *python)
{
  g_autofree char *script_name = g_build_filename (box, "box", "attack.py", NULL);
  g_autofree char *script = mount_path (mount, script_name);
  g_assert_true (g_file_set_contents (script, python, -1, NULL));
  g_autofree char *processes = g_build_filename (box, "processes", NULL);
  g_autofree char *wall = g_build_filename (box, "wall-time", NULL);
  g_autofree char *cmd = g_build_filename (box, "cmd", NULL);
  g_autofree char *status_file = g_build_filename (box, "status", NULL);
  g_assert_cmpint (put (mount, processes, "20"), ==, 0);
  g_autofree char *wall_limit = machine_scaled_seconds (10);
  g_assert_cmpint (put (mount, wall, wall_limit), ==, 0);
  g_assert_cmpint (put (mount, cmd, "python3 attack.py"), ==, 0);
  char *status = get (mount, status_file);
  g_test_message ("%s", status);
  return status;
}

/* The attack's stdout, which by convention is "blocked" for every try that
 * failed as it should, one line each. */
static void
assert_all_blocked (const Mount *mount, const char *box, guint tries)
{
  g_autofree char *name = g_build_filename (box, "stdout", NULL);
  g_autofree char *out = get (mount, name);
  g_test_message ("%s", out);
  g_autoptr (GString) expected = g_string_new (NULL);
  for (guint i = 0; i < tries; i++)
    g_string_append (expected, "blocked\n");
  g_assert_cmpstr (out, ==, expected->str);
}

static const char escape_attempts[]
    = "import ctypes, os, socket\n"
      "libc = ctypes.CDLL(None, use_errno=True)\n"
      "def blocked(ok):\n"
      "    print('blocked' if ok else 'ESCAPED')\n"
      "# chroot, mount, unshare, setns, pivot_root need capabilities it lacks\n"
      "blocked(libc.chroot(b'/tmp') != 0)\n"
      "blocked(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None) != 0)\n"
      "blocked(libc.unshare(0x00020000) != 0)\n"
      "blocked(libc.syscall(155, b'/tmp', b'/tmp') != 0)\n"
      "try:\n"
      "    fd = os.open('/proc/1/ns/mnt', os.O_RDONLY)\n"
      "    blocked(libc.setns(fd, 0) != 0)\n"
      "except OSError:\n"
      "    blocked(True)\n"
      "# ptrace of the proxy, PID 1 of the namespace\n"
      "blocked(libc.ptrace(16, 1, None, None) != 0)\n"
      "# raw devices and the host's files are simply not there\n"
      "for path in ['/dev/vda', '/dev/sda', '/dev/mem', '/dev/kmsg', '/root', '/home', "
      "'/var/lib']:\n"
      "    blocked(not os.path.exists(path))\n"
      "# read-only binds stay read-only; nothing set-uid can help\n"
      "for path in ['/usr/x', '/etc/x', '/bin/x', '/x']:\n"
      "    try:\n"
      "        open(path, 'w')\n"
      "        blocked(False)\n"
      "    except OSError:\n"
      "        blocked(True)\n"
      "blocked(os.geteuid() != 0 and os.getegid() != 0)\n"
      "# a set-uid program gives nothing (nosuid, no_new_privs)\n"
      "import subprocess\n"
      "r = subprocess.run(['/usr/bin/passwd', '-S', 'root'], capture_output=True)\n"
      "blocked(r.returncode != 0)\n"
      "# no hard link from box/ to a host file: the binds are other mounts\n"
      "try:\n"
      "    os.link('/usr/bin/passwd', '/box/hard-link')\n"
      "    blocked(False)\n"
      "except OSError:\n"
      "    blocked(True)\n";

static void
test_escape_attempts_fail (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *status = attack (fixture->mount, "b", escape_attempts);
  g_assert_nonnull (strstr (status, "exitcode:0"));
  assert_all_blocked (fixture->mount, "b", 20);
}

static void
test_kill_all_does_not_reach_the_host (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  /* A process of the host, of the box's own uid even, must survive kill(-1). */
  uid_t box_uid = fixture->mount->first_uid;
  pid_t victim = fork ();
  if (victim == 0)
    {
      if (setuid (box_uid) != 0)
        _exit (1);
      pause ();
      _exit (0);
    }
  g_autofree char *status
      = attack (fixture->mount, "b", "import os, signal\nos.kill(-1, signal.SIGKILL)\n");
  int wait_status;
  g_assert_cmpint (waitpid (victim, &wait_status, WNOHANG), ==, 0);
  kill (victim, SIGKILL);
  g_assert_cmpint (waitpid (victim, &wait_status, 0), ==, victim);
  g_assert_true (WIFSIGNALED (wait_status));
}

static void
test_host_network_unreachable (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  /* A TCP listener on the host's loopback and a host abstract socket. */
  int tcp = socket (AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address
      = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  g_assert_cmpint (bind (tcp, (struct sockaddr *) &address, sizeof address), ==, 0);
  socklen_t length = sizeof address;
  g_assert_cmpint (getsockname (tcp, (struct sockaddr *) &address, &length), ==, 0);
  g_assert_cmpint (listen (tcp, 1), ==, 0);
  int unix_socket = socket (AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un unix_address = { .sun_family = AF_UNIX };
  memcpy (unix_address.sun_path, "\0isolatefs-test-abstract", 25);
  g_assert_cmpint (bind (unix_socket, (struct sockaddr *) &unix_address,
                         offsetof (struct sockaddr_un, sun_path) + 25),
                   ==, 0);
  g_assert_cmpint (listen (unix_socket, 1), ==, 0);

  g_autofree char *script
      = g_strdup_printf ("import socket\n"
                         "def blocked(family, address):\n"
                         "    s = socket.socket(family, socket.SOCK_STREAM)\n"
                         "    s.settimeout(2)\n"
                         "    try:\n"
                         "        s.connect(address)\n"
                         "        print('ESCAPED')\n"
                         "    except OSError:\n"
                         "        print('blocked')\n"
                         "blocked(socket.AF_INET, ('127.0.0.1', %d))\n"
                         "blocked(socket.AF_UNIX, '\\0isolatefs-test-abstract')\n",
                         ntohs (address.sin_port));
  g_autofree char *status = attack (fixture->mount, "b", script);
  assert_all_blocked (fixture->mount, "b", 2);
  close (tcp);
  close (unix_socket);
}

static gboolean
has_planted (const Mount *mount)
{
  g_autofree char *planted = get (mount, "other/stdout");
  return planted != NULL && g_str_has_prefix (planted, "planted");
}

static void
test_boxes_cannot_reach_each_other (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (make_box (mount, "other"), ==, 0);
  g_assert_cmpint (put (mount, "other/wall-time", "60"), ==, 0);
  g_assert_cmpint (put (mount, "other/processes", "10"), ==, 0);
  /* The other box plants data in /tmp, /dev/shm, /box and SysV IPC, and stays. */
  g_autofree char *planter = mount_path (mount, "other/box/plant.py");
  g_assert_true (g_file_set_contents (planter,
                                      "import ctypes, time\n"
                                      "open('/tmp/secret', 'w').write('x')\n"
                                      "open('/dev/shm/secret', 'w').write('x')\n"
                                      "open('/box/secret', 'w').write('x')\n"
                                      "libc = ctypes.CDLL(None)\n"
                                      "libc.shmget(0x5eed, 4096, 0o1666)\n"
                                      "libc.msgget(0x5eed, 0o1666)\n"
                                      "print('planted', flush=True)\n"
                                      "time.sleep(60)\n",
                                      -1, NULL));
  g_assert_cmpint (put (mount, "other/cmd", "python3 plant.py"), ==, 0);
  /* Planted, however long python takes to start on a loaded machine; it
   * stays until killed below (a minute at most, were the test to die). */
  WAIT_UNTIL (has_planted (mount));
  g_autofree char *planted = get (mount, "other/stdout");
  g_assert_cmpstr (planted, ==, "planted\n");

  g_autofree char *status = attack (mount, "b",
                                    "import ctypes, os, glob\n"
                                    "libc = ctypes.CDLL(None)\n"
                                    "def blocked(ok):\n"
                                    "    print('blocked' if ok else 'ESCAPED')\n"
                                    "blocked(not os.path.exists('/tmp/secret'))\n"
                                    "blocked(not os.path.exists('/dev/shm/secret'))\n"
                                    "blocked(not os.path.exists('/box/secret'))\n"
                                    "blocked(libc.shmget(0x5eed, 4096, 0o666) < 0)\n"
                                    "blocked(libc.msgget(0x5eed, 0o666) < 0)\n"
                                    "blocked(not [p for p in glob.glob('/proc/[0-9]*/cmdline') if "
                                    "b'plant' in open(p, 'rb').read()])\n");
  assert_all_blocked (mount, "b", 6);
  g_assert_cmpint (put (mount, "other/ctl", "kill"), ==, 0);
  g_autofree char *other = get (mount, "other/stdout");
  g_assert_cmpstr (other, ==, "planted\n");
}

static void
test_resource_bombs_contained (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  Mount *mount = fixture->mount;
  g_assert_cmpint (put (mount, "b/mem", "64M"), ==, 0);
  /* Memory through tmpfs is charged to the box (or /tmp's own cap ends it). */
  g_autofree char *tmpfs = attack (mount, "b",
                                   "f = open('/dev/shm/fill', 'wb')\n"
                                   "for i in range(200):\n"
                                   "    f.write(b'x' * (1 << 20))\n"
                                   "    f.flush()\n");
  g_assert_null (strstr (tmpfs, "exitcode:0"));
  g_autofree char *cg_mem = NULL;
  const char *at = strstr (tmpfs, "cg-mem:");
  g_assert_nonnull (at);
  g_assert_cmpint (g_ascii_strtoll (at + strlen ("cg-mem:"), NULL, 10), <=, 64 * 1024);

  /* A thread bomb meets the process limit. */
  g_autofree char *threads
      = attack (mount, "b",
                "import threading, time\n"
                "n = 0\n"
                "try:\n"
                "    for i in range(1000):\n"
                "        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()\n"
                "        n += 1\n"
                "except RuntimeError:\n"
                "    pass\n"
                "print('blocked' if n < 20 else 'ESCAPED')\n");
  assert_all_blocked (mount, "b", 1);
}

/* ---- System calls: the table of docs/security.md#system-calls ---- */

/* Runs the rows of tests/integration/syscall_probe.c named in `rows` (all of
 * them if empty) in box b, and returns what it printed. */
static char *
probe (const Mount *mount, const char *rows)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (g_getenv ("SYSCALL_PROBE"), &contents, &length, &error));
  g_autofree char *copy = mount_path (mount, "b/box/syscall-probe");
  g_assert_true (
      g_file_set_contents_full (copy, contents, length, G_FILE_SET_CONTENTS_NONE, 0755, &error));
  g_assert_cmpint (put (mount, "b/processes", "10"), ==, 0);
  g_assert_cmpint (put (mount, "b/wall-time", "20"), ==, 0);
  g_autofree char *cmd = g_strdup_printf ("./syscall-probe %s", rows);
  char *out = run_for_output (mount, "b", cmd);
  g_test_message ("%s", out);
  return out;
}

static void
test_unshare_user_namespace (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *out = probe (fixture->mount, "unshare-user unshare-user-high-bits");
  g_assert_cmpstr (out, ==, "ok   unshare-user: EPERM\nok   unshare-user-high-bits: EPERM\n");
}

static void
test_clone_user_namespace (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *out = probe (fixture->mount, "clone-user");
  g_assert_cmpstr (out, ==, "ok   clone-user: EPERM\n");
}

static void
test_clone3_refused (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *out = probe (fixture->mount, "clone3-user");
  g_assert_cmpstr (out, ==, "ok   clone3-user: ENOSYS\n");
}

/* A process of the box's uid outside the box, in a user namespace of its
 * own (so owned by that uid, which the kernel would let join it); it says
 * 'y' on the pipe once there. */
static pid_t
hold_user_namespace (uid_t uid, int *ready)
{
  int pipe_fds[2];
  g_assert_no_errno (pipe (pipe_fds));
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (pipe_fds[0]);
      gboolean in = syscall (SYS_setgroups, 0, NULL) == 0
                    && syscall (SYS_setresgid, uid, uid, uid) == 0
                    && syscall (SYS_setresuid, uid, uid, uid) == 0
                    && prctl (PR_SET_DUMPABLE, 1, 0, 0, 0) == 0 && unshare (CLONE_NEWUSER) == 0;
      if (write (pipe_fds[1], in ? "y" : "n", 1) != 1 || !in)
        _exit (1);
      pause ();
      _exit (0);
    }
  close (pipe_fds[1]);
  *ready = pipe_fds[0];
  return pid;
}

static void
test_setns_user_namespace (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *uid = run_for_output (fixture->mount, "b", "id -u");
  int ready;
  pid_t holder = hold_user_namespace (atoi (uid), &ready);
  char said = 0;
  g_assert_cmpint (read (ready, &said, 1), ==, 1);
  close (ready);
  if (said != 'y')
    {
      /* The host refuses it too (user.max_user_namespaces=0, or an LSM). */
      g_assert_cmpint (waitpid (holder, NULL, 0), ==, holder);
      g_test_skip ("the host lets no user make a user namespace: none to try to join");
      return;
    }
  /* Its namespaces bound into the box, as a rule of root's could. */
  g_autofree char *rule = g_strdup_printf ("/userns=/proc/%d/ns\n", holder);
  g_assert_cmpint (put (fixture->mount, "b/dirs", rule), ==, 0);
  g_autofree char *out
      = probe (fixture->mount,
               "setns-foreign-userns setns-foreign-userns-any-type setns-own-userns-any-type");
  kill (holder, SIGKILL);
  g_assert_cmpint (waitpid (holder, NULL, 0), ==, holder);
  g_assert_cmpstr (out, ==,
                   "ok   setns-own-userns-any-type: EPERM\n"
                   "ok   setns-foreign-userns: EPERM\n"
                   "ok   setns-foreign-userns-any-type: EPERM\n");
}

/* As a shell would: util-linux's unshare, with and without a root mapping. */
static void
test_unshare_command_refused (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_assert_cmpint (put (fixture->mount, "b/processes", "10"), ==, 0);
  g_autofree char *found = run_for_output (fixture->mount, "b", "sh -c 'command -v unshare'");
  if (*found == '\0')
    {
      g_test_skip ("no unshare (util-linux) in the box's PATH: the system calls are tested "
                   "by /attacks/unshare-user-namespace");
      return;
    }
  g_autofree char *out = run_for_output (
      fixture->mount, "b", "sh -c 'unshare -U id -u; echo $?; unshare -Urm id -u; echo $?'");
  g_autofree char *err = get (fixture->mount, "b/stderr");
  g_test_message ("%s%s", out, err);
  g_assert_cmpstr (out, ==, "1\n1\n");
  g_assert_cmpstr (err, ==,
                   "unshare: unshare failed: Operation not permitted\n"
                   "unshare: unshare failed: Operation not permitted\n");
}

/* As a Python program would: os.unshare (3.12 on), or through libc. */
static const char python_unshare[]
    = "import ctypes, errno, os, sys\n"
      "print(sys.version.split()[0])\n"
      "if hasattr(os, 'unshare'):\n"
      "    try:\n"
      "        os.unshare(os.CLONE_NEWUSER)\n"
      "        print('os.unshare: ESCAPED')\n"
      "    except OSError as e:\n"
      "        print('os.unshare:', errno.errorcode[e.errno])\n"
      "else:\n"
      "    libc = ctypes.CDLL(None, use_errno=True)\n"
      "    r = libc.unshare(0x10000000)\n"
      "    print('libc unshare:', 'ESCAPED' if r == 0 else errno.errorcode[ctypes.get_errno()])\n";

static void
test_python_unshare_refused (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *status = attack (fixture->mount, "b", python_unshare);
  g_assert_nonnull (strstr (status, "exitcode:0"));
  g_autofree char *out = get (fixture->mount, "b/stdout");
  g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  if (g_str_has_prefix (lines[1], "libc"))
    g_test_message ("the box's python3 is %s, without os.unshare (Python 3.12 on): the same "
                    "system call was made through ctypes",
                    lines[0]);
  g_assert_true (g_str_equal (lines[1], "os.unshare: EPERM")
                 || g_str_equal (lines[1], "libc unshare: EPERM"));
}

static void
test_system_call_table (BoxFixture *fixture, gconstpointer data)
{
  if (fixture->mount == NULL)
    return;
  g_autofree char *out = probe (fixture->mount, "");
  g_assert_null (strstr (out, "FAIL"));
  g_assert_true (g_str_has_suffix (out, "\ndone\n"));
}

/* A tree far deeper than the daemon's descriptor limit (lowered here to
 * DAEMON_DESCRIPTORS, so that this does not depend on the machine's), built
 * one component at a time, its path far past PATH_MAX, with links to host
 * files and directories and to ".." at every level and FIFOs here and
 * there. The clean-up after the run, the handing back of box/, `ctl reset`
 * and `rmdir` must all get through it, following nothing: a walk holding a
 * descriptor per level failed them all. */
#define DEEP_TREE 5000
#define DAEMON_DESCRIPTORS 256

static const char deep_tree_builder[] = "import os\n"
                                        "for i in range(%d):\n"
                                        "    os.mkdir('d')\n"
                                        "    os.symlink('/etc/passwd', 'passwd')\n"
                                        "    os.symlink('/etc', 'etc')\n"
                                        "    os.symlink('..', 'up')\n"
                                        "    if i %% 1000 == 0:\n"
                                        "        os.mkfifo('fifo')\n"
                                        "    os.chdir('d')\n"
                                        "print('built')\n";

static void
build_deep_tree (const Mount *mount)
{
  g_autofree char *script = g_strdup_printf (deep_tree_builder, DEEP_TREE);
  g_autofree char *script_path = mount_path (mount, "b/box/deep.py");
  g_assert_true (g_file_set_contents (script_path, script, -1, NULL));
  g_assert_cmpint (put (mount, "b/time", "30"), ==, 0);
  g_assert_cmpint (put (mount, "b/wall-time", "60"), ==, 0);
  g_autofree char *out = run_for_output (mount, "b", "python3 deep.py");
  g_assert_cmpstr (out, ==, "built\n");
}

static guint
count_entries_at (int dir_fd)
{
  DIR *dir = fdopendir (openat (dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  g_assert_nonnull (dir);
  guint n = 0;
  struct dirent *entry;
  while ((entry = readdir (dir)) != NULL)
    n += strcmp (entry->d_name, ".") != 0 && strcmp (entry->d_name, "..") != 0;
  closedir (dir);
  return n;
}

static void
test_deep_tree_cleaned_up (void)
{
  if (!mount_require_root ())
    return;
  g_autoptr (Mount) mount = mount_new (NULL);
  /* Lowered from outside: the daemon raises its own soft limit at start. */
  struct rlimit low = { DAEMON_DESCRIPTORS, DAEMON_DESCRIPTORS };
  pid_t daemon = atoi (g_subprocess_get_identifier (mount->daemon));
  g_assert_no_errno (prlimit (daemon, RLIMIT_NOFILE, &low, NULL));
  g_assert_cmpint (make_box (mount, "b"), ==, 0);
  struct stat passwd_before, passwd_after;
  g_assert_no_errno (stat ("/etc/passwd", &passwd_before));

  build_deep_tree (mount);

  /* After the run: nothing but the directories at every level, each given
   * back to the box's owner (root). */
  g_autofree char *work = g_build_filename (mount->state_dir, "boxes", "b", "box", NULL);
  int fd = open (work, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < DEEP_TREE; i++)
    {
      int sub = openat (fd, "d", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      g_assert_cmpint (sub, >=, 0);
      close (fd);
      fd = sub;
      struct stat st;
      g_assert_no_errno (fstat (fd, &st));
      g_assert_cmpuint (st.st_uid, ==, 0);
      g_assert_cmpuint (count_entries_at (fd), ==, i + 1 < DEEP_TREE ? 1 : 0);
    }
  close (fd);

  g_assert_cmpint (put (mount, "b/ctl", "reset"), ==, 0);
  g_assert_cmpuint (count_entries (work), ==, 0);

  build_deep_tree (mount);
  g_assert_cmpint (remove_box (mount, "b"), ==, 0);
  g_autofree char *state = g_build_filename (mount->state_dir, "boxes", "b", NULL);
  g_assert_false (g_file_test (state, G_FILE_TEST_EXISTS));

  g_assert_no_errno (stat ("/etc/passwd", &passwd_after));
  g_assert_cmpuint (passwd_after.st_ino, ==, passwd_before.st_ino);
  g_assert_cmpuint (passwd_after.st_uid, ==, passwd_before.st_uid);
  g_assert_cmpint (passwd_after.st_mtime, ==, passwd_before.st_mtime);
}

#define ADD(path, function)                                                                        \
  g_test_add (path, BoxFixture, NULL, box_fixture_set_up, function, box_fixture_tear_down)

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  ADD ("/attacks/escape-attempts-fail", test_escape_attempts_fail);
  ADD ("/attacks/kill-all-does-not-reach-the-host", test_kill_all_does_not_reach_the_host);
  ADD ("/attacks/host-network-unreachable", test_host_network_unreachable);
  ADD ("/attacks/boxes-cannot-reach-each-other", test_boxes_cannot_reach_each_other);
  ADD ("/attacks/resource-bombs-contained", test_resource_bombs_contained);
  ADD ("/attacks/unshare-user-namespace", test_unshare_user_namespace);
  ADD ("/attacks/clone-user-namespace", test_clone_user_namespace);
  ADD ("/attacks/clone3-refused", test_clone3_refused);
  ADD ("/attacks/setns-user-namespace", test_setns_user_namespace);
  ADD ("/attacks/unshare-command-refused", test_unshare_command_refused);
  ADD ("/attacks/python-unshare-refused", test_python_unshare_refused);
  ADD ("/attacks/system-call-table", test_system_call_table);
  g_test_add_func ("/attacks/deep-tree-cleaned-up", test_deep_tree_cleaned_up);
  return g_test_run ();
}
