/* prescreen-gen — draws a label file back onto its image (for eyes and
 * tests): document quad green, faces blue, document faces cyan, sensitive
 * boxes red, field boxes yellow, occluders magenta. */
#include "gen.h"

#include <jansson.h>
#include <math.h>

static void box(cairo_t *cr, json_t *b, double r, double g, double bl)
{
    if (!json_is_array(b) || json_array_size(b) != 4)
        return;
    cairo_set_source_rgb(cr, r, g, bl);
    cairo_rectangle(cr, json_number_value(json_array_get(b, 0)), json_number_value(json_array_get(b, 1)),
                    json_number_value(json_array_get(b, 2)), json_number_value(json_array_get(b, 3)));
    cairo_stroke(cr);
}

int gen_overlay_png(cairo_surface_t *img, const char *label_json, int max_side, const char *path)
{
    json_error_t err;
    json_t *root = json_loads(label_json, 0, &err);
    int rc = -1;
    if (!root || !img)
        goto done;
    int W = cairo_image_surface_get_width(img), H = cairo_image_surface_get_height(img);
    double sc = fmin(1.0, (double)max_side / (W > H ? W : H));
    int w = (int)lround(W * sc), h = (int)lround(H * sc);
    cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(out);
    cairo_scale(cr, sc, sc);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_set_line_width(cr, 2.0 / sc);
    json_t *q = json_object_get(root, "document_quad");
    if (json_is_array(q) && json_array_size(q) == 4) {
        cairo_set_source_rgb(cr, 0, 1, 0);
        for (size_t i = 0; i < 4; i++) {
            json_t *pt = json_array_get(q, i);
            cairo_line_to(cr, json_number_value(json_array_get(pt, 0)), json_number_value(json_array_get(pt, 1)));
        }
        cairo_close_path(cr);
        cairo_stroke(cr);
    }
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(root, "faces"), i, v) box(cr, v, 0.1, 0.3, 1);
    json_array_foreach(json_object_get(root, "document_faces"), i, v) box(cr, v, 0, 0.9, 0.9);
    json_array_foreach(json_object_get(root, "sensitive"), i, v) box(cr, json_object_get(v, "box"), 1, 0, 0);
    json_array_foreach(json_object_get(root, "occluders"), i, v) box(cr, json_object_get(v, "box"), 1, 0, 1);
    const char *key;
    json_object_foreach(json_object_get(root, "field_boxes"), key, v) box(cr, json_object_get(v, "box"), 1, 0.85, 0);
    cairo_destroy(cr);
    rc = cairo_surface_write_to_png(out, path) == CAIRO_STATUS_SUCCESS ? 0 : -1;
    cairo_surface_destroy(out);
done:
    json_decref(root);
    return rc;
}
