#include "box_limits.h"

#include "setting_names.h"

#include "sandbox/sandbox_error.h"
#include "utils/parse_decimal.h"
#include "utils/parse_size.h"

#include <string.h>

typedef enum
{
  UNIT_KIB,
  UNIT_MS,
  UNIT_COUNT,
  UNIT_FLAG,
} LimitUnit;

typedef struct
{
  const char *name;
  LimitUnit unit;
  gint64 min;                 /* smallest finite value accepted */
  gboolean can_be_unlimited;  /* "unlimited" accepted */
  gboolean zero_is_unlimited; /* isolate's convention for time limits */
  gint64 builtin_default;     /* safe for untrusted code */
  gint64 builtin_maximum;
} LimitInfo;

/* Defaults bound everything a program can consume, so a box that was never
 * configured is still safe to run untrusted code in. */
static const LimitInfo limit_table[N_LIMITS] = {
  [LIMIT_MEM] = { SETTING_MEM, UNIT_KIB, 1, TRUE, FALSE, 256 * 1024, LIMIT_UNLIMITED },
  [LIMIT_TIME] = { SETTING_TIME, UNIT_MS, 0, TRUE, TRUE, 1000, LIMIT_UNLIMITED },
  [LIMIT_WALL_TIME] = { SETTING_WALL_TIME, UNIT_MS, 0, TRUE, TRUE, 5000, LIMIT_UNLIMITED },
  [LIMIT_EXTRA_TIME] = { SETTING_EXTRA_TIME, UNIT_MS, 0, TRUE, FALSE, 0, LIMIT_UNLIMITED },
  [LIMIT_PROCESSES] = { SETTING_PROCESSES, UNIT_COUNT, 1, TRUE, FALSE, 1, LIMIT_UNLIMITED },
  [LIMIT_FSIZE] = { SETTING_FSIZE, UNIT_KIB, 0, TRUE, FALSE, 64 * 1024, LIMIT_UNLIMITED },
  [LIMIT_STACK] = { SETTING_STACK, UNIT_KIB, 1, TRUE, FALSE, 8 * 1024, LIMIT_UNLIMITED },
  [LIMIT_OPEN_FILES] = { SETTING_OPEN_FILES, UNIT_COUNT, 1, TRUE, FALSE, 64, LIMIT_UNLIMITED },
  [LIMIT_SHARE_NET] = { SETTING_SHARE_NET, UNIT_FLAG, 0, FALSE, FALSE, 0, 1 },
  /* Unlimited by default: box/ is then a plain directory on the state
   * directory's filesystem, as fast as it. 1 MiB is the smallest ext4 that
   * leaves room for files. */
  [LIMIT_QUOTA] = { SETTING_QUOTA, UNIT_KIB, 1024, TRUE, TRUE, LIMIT_UNLIMITED, LIMIT_UNLIMITED },
  /* Unlimited by default, as in isolate without -m: mem bounds what the
   * run uses, whatever it maps. */
  [LIMIT_ADDRESS_SPACE]
  = { SETTING_ADDRESS_SPACE, UNIT_KIB, 1, TRUE, FALSE, LIMIT_UNLIMITED, LIMIT_UNLIMITED },
  /* No core files unless asked, as in isolate (--core). */
  [LIMIT_CORE] = { SETTING_CORE, UNIT_KIB, 0, TRUE, FALSE, 0, LIMIT_UNLIMITED },
};

const char *
limit_name (LimitId id)
{
  g_return_val_if_fail (id < N_LIMITS, NULL);
  return limit_table[id].name;
}

gboolean
limit_lookup (const char *name, LimitId *id)
{
  for (LimitId i = 0; i < N_LIMITS; i++)
    if (strcmp (limit_table[i].name, name) == 0)
      {
        *id = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_in_unit (const LimitInfo *info, const char *text, gint64 *value, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  guint64 number = 0;

  switch (info->unit)
    {
    case UNIT_KIB:
      if (!parse_size_kib (text, &number, &local_error))
        break;
      *value = (gint64) number;
      return TRUE;
    case UNIT_MS:
      if (!parse_seconds_ms (text, value, &local_error))
        break;
      return TRUE;
    case UNIT_COUNT:
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 - 1, &number, &local_error))
        break;
      *value = (gint64) number;
      return TRUE;
    case UNIT_FLAG:
      if (strcmp (text, "0") != 0 && strcmp (text, "1") != 0)
        {
          g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s takes 0 or 1", info->name);
          return FALSE;
        }
      *value = text[0] - '0';
      return TRUE;
    }
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s: %s", info->name,
               local_error->message);
  return FALSE;
}

gboolean
limit_parse (LimitId id, const char *text, gint64 *value, GError **error)
{
  g_return_val_if_fail (id < N_LIMITS, FALSE);
  const LimitInfo *info = &limit_table[id];

  if (info->can_be_unlimited && strcmp (text, "unlimited") == 0)
    {
      *value = LIMIT_UNLIMITED;
      return TRUE;
    }

  gint64 parsed = 0;
  if (!parse_in_unit (info, text, &parsed, error))
    return FALSE;
  if (parsed == 0 && info->zero_is_unlimited)
    parsed = LIMIT_UNLIMITED;
  if (parsed < info->min)
    {
      g_autofree char *min_text = limit_format (id, info->min);
      g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_INVALID, "%s must be at least %s",
                   info->name, min_text);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

char *
limit_format (LimitId id, gint64 value)
{
  g_return_val_if_fail (id < N_LIMITS, NULL);
  if (value == LIMIT_UNLIMITED)
    return g_strdup ("unlimited");
  if (limit_table[id].unit == UNIT_MS)
    return format_seconds_ms (value);
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

gboolean
limit_check_maximum (LimitId id, gint64 value, gint64 maximum, GError **error)
{
  if (value <= maximum)
    return TRUE;
  g_autofree char *value_text = limit_format (id, value);
  g_autofree char *maximum_text = limit_format (id, maximum);
  g_set_error (error, SANDBOX_ERROR, SANDBOX_ERROR_OVER_MAXIMUM,
               "%s %s is above the configured maximum %s", limit_name (id), value_text,
               maximum_text);
  return FALSE;
}

gint64
limit_builtin_default (LimitId id)
{
  g_return_val_if_fail (id < N_LIMITS, 0);
  return limit_table[id].builtin_default;
}

gint64
limit_builtin_maximum (LimitId id)
{
  g_return_val_if_fail (id < N_LIMITS, 0);
  return limit_table[id].builtin_maximum;
}
