#include "box_shared.h"

void
box_shared_clear (BoxShared *shared)
{
  g_clear_pointer (&shared->builder, jail_builder_free);
  g_clear_pointer (&shared->cgroups, cgroups_free);
  g_clear_pointer (&shared->languages, languages_free);
}
