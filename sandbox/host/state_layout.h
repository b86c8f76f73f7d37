#pragma once

/* The state directory's layout (state_dir in the configuration): the one
 * place its names are written.
 *
 *   STATE_DIR/                  root's, 0711
 *     daemon.lock               locked by the daemon using the directory (state_lock.h)
 *     boxes/NAME/               one box's directory, root's, 0711 (below)
 *     boxes/.new-NAME/          a box being made by mkdir, renamed to NAME when whole;
 *                               one found at start was never answered, and goes
 *     set-aside/NAME.TIME/      a box that could not be loaded, kept for the administrator
 *     trash/, spare/            removed boxes' directories, being emptied or kept for
 *                               the next new box (state_trash.h); root's, 0700
 *     cgroup-favordynmods/      mount point of cgroup_dynmods.h's hierarchy
 *     tmp.img, tmp/             the boxes' /tmp: a filesystem of max_tmp, made afresh at each
 *                               start and mounted on tmp/ (tmp_volume.h); tmp/UID/ is the
 *                               box of that uid's, root's, 0711
 *
 * The state directory and each box's directory are root's and only
 * traversable by others, so that users reach box/ through the mount's link
 * but nothing else of the daemon's. */

#define STATE_DIR_MODE 0711
#define STATE_LOCK_FILE "daemon.lock"
#define STATE_BOXES_DIR "boxes"
#define STATE_NEW_BOX_PREFIX ".new-" /* no box name starts with '.' */
#define STATE_SET_ASIDE_DIR "set-aside"
#define STATE_TRASH_DIR "trash"
#define STATE_SPARE_DIR "spare"
#define STATE_DYNMODS_DIR "cgroup-favordynmods"
/* The log, when the daemon runs in the background with no syslog (fs/daemon_log.h). */
#define STATE_LOG_FILE "isolatefs.log"
#define STATE_TMP_IMAGE "tmp.img"
#define STATE_TMP_DIR "tmp"

/* In each box's directory (box_store.h):
 *
 *   box/                     the program's /box: its owner's between runs (BOX_WORK_DIR_MODE),
 *                            the box uid's during them; with a quota, a filesystem of its own
 *   box.img                  that filesystem's image (box_quota.h)
 *   tmp/, tmp.img            with a quota, where the box's /tmp is made (box_tmp.h): a
 *                            filesystem of the quota's size of its own, and its image
 *   root/                    where a run's root is mounted, in the jail's namespace only
 *   settings.json, .1        the box's record, saved to each in turn (box_store.c)
 *   run-state                "running" during a run, to notice one cut short,
 *                            "interrupted" once noticed, till the next run or reset
 *   stdin, stdout, stderr    the run's standard streams (box_stdio.c)
 */
#define BOX_WORK_DIR "box"
#define BOX_WORK_DIR_MODE 0700
#define BOX_QUOTA_IMAGE "box.img"
#define BOX_TMP_DIR "tmp"
#define BOX_TMP_IMAGE "tmp.img"
#define BOX_ROOT_DIR "root"
#define BOX_RECORD_FILE "settings.json"
#define BOX_RECORD_FILE_OTHER "settings.json.1"
#define BOX_RUN_MARKER "run-state"
#define BOX_STDIN_FILE "stdin"
#define BOX_STDOUT_FILE "stdout"
#define BOX_STDERR_FILE "stderr"
