#include "box_jails.h"

#include "utils/autofd.h"

#include <fcntl.h>
#include <unistd.h>

struct _BoxJails
{
  JailBuilder *builder; /* the table's */
  gboolean ahead;       /* jails may be prepared ahead of runs */
  JailOrder *standby;   /* the next run's jail, ordered ahead; or NULL */
  gboolean warm;        /* jail_order_warm: its program-to-be may be in the cgroups */
  int netns_fd;         /* the box's network namespace, once a jail made it; or -1 */
  int root_template_fd; /* the box's root template (jail_protocol.h), once a jail made it; or -1 */
};

BoxJails *
box_jails_new (JailBuilder *builder, gboolean ahead)
{
  BoxJails *jails = g_new0 (BoxJails, 1);
  jails->builder = builder;
  jails->ahead = ahead;
  jails->netns_fd = -1;
  jails->root_template_fd = -1;
  return jails;
}

void
box_jails_free (BoxJails *jails)
{
  if (jails == NULL)
    return;
  jail_order_cancel (jails->standby);
  autofd_close (&jails->netns_fd);
  autofd_close (&jails->root_template_fd);
  g_free (jails);
}

/* What the box holds for its jails. A network namespace made ahead, if
 * there is one: cheaper than the jail making it. */
static void
complete_setup (BoxJails *jails, JailSetup *setup)
{
  if (!setup->share_net && jails->netns_fd < 0 && jails->ahead)
    jails->netns_fd = jail_builder_take_netns (jails->builder);
  setup->netns_fd = jails->netns_fd;
  setup->root_template_fd = jails->root_template_fd;
}

/* The network namespace of the box's first jail serves every later one.
 * Not kept if it cannot be opened: the next run makes its own. */
static void
keep_netns (BoxJails *jails, const Jail *jail, gboolean share_net)
{
  if (!share_net && jails->netns_fd < 0)
    jails->netns_fd = jail_open_netns (jail, NULL);
}

Jail *
box_jails_take_standby (BoxJails *jails, gboolean share_net)
{
  if (jails->standby == NULL)
    return NULL;
  jails->warm = FALSE;
  Jail *jail = jail_order_take (g_steal_pointer (&jails->standby));
  if (jail == NULL)
    return NULL;
  keep_netns (jails, jail, share_net);
  /* The root template of a jail prepared ahead serves every later jail,
   * until a setting it was built from changes. */
  if (jails->root_template_fd < 0)
    jails->root_template_fd = jail_take_root_template (jail);
  return jail;
}

Jail *
box_jails_prepare (BoxJails *jails, JailSetup *setup, GError **error)
{
  complete_setup (jails, setup);
  /* Launched at once: a template of its own would come too late. */
  setup->make_root_template = FALSE;
  Jail *jail = jail_builder_prepare (jails->builder, setup, error);
  if (jail != NULL)
    keep_netns (jails, jail, setup->share_net);
  return jail;
}

void
box_jails_order (BoxJails *jails, JailSetup *setup, gboolean spare, GError **error)
{
  complete_setup (jails, setup);
  jails->warm = FALSE;
  jails->standby = jail_builder_order (jails->builder, setup, spare, error);
}

gboolean
box_jails_ordered (const BoxJails *jails)
{
  return jails->standby != NULL;
}

guint
box_jails_waiting (const BoxJails *jails, gboolean join_at_launch)
{
  return jails->standby != NULL && (!join_at_launch || jails->warm) ? 1 : 0;
}

void
box_jails_warm (BoxJails *jails)
{
  if (jails->standby != NULL && !jails->warm)
    jails->warm = jail_order_warm (jails->standby);
}

gboolean
box_jails_invalidate (BoxJails *jails)
{
  box_jails_drop_template (jails);
  if (jails->standby == NULL)
    return FALSE;
  g_clear_pointer (&jails->standby, jail_order_cancel);
  jails->warm = FALSE;
  return TRUE;
}

void
box_jails_drop_template (BoxJails *jails)
{
  autofd_close (&jails->root_template_fd);
}
