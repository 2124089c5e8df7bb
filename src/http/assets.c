/* The review pages' static assets: a fixed table compiled into the library
 * (generated from src/http/static/ by embed.cmake). A request names an asset
 * only by comparing with the table, so no request can reach the file system. */
#include <string.h>

#include "http/internal.h"
#include "ps_static_assets.h"

const ps__asset *ps__asset_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof ps__static_table / sizeof ps__static_table[0]; i++)
        if (strcmp(ps__static_table[i].name, name) == 0)
            return &ps__static_table[i];
    return NULL;
}
