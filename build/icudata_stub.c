/* An empty ICU data library (ICU's own "stubdata"): Qt links ICU, Binder uses none of its data.
   Qt's ICU-backed parts (collation, time-zone names, legacy codecs) then fall back or fail softly.
   Built by build/binder.spec in place of PySide6's 32 MB libicudata; it names ICU_ENTRY (icudt73_dat). */
#include <stdint.h>

__attribute__((visibility("default"))) const struct {
    uint16_t header_size;
    uint8_t magic1, magic2;
    uint16_t info_size, reserved_word;
    uint8_t big_endian, charset_family, sizeof_uchar, reserved_byte;
    uint8_t data_format[4], format_version[4], data_version[4];
    char padding[8];
    uint32_t count, reserved;
    int fake_name_and_data[4];
} ICU_ENTRY = {
    32, 0xda, 0x27,
    20, 0,
    0, 0, 2, 0,
    {0x54, 0x6f, 0x43, 0x50}, {1, 0, 0, 0}, {0, 0, 0, 0},  /* "ToCP": a table of no entries */
    {0}, 0, 0, {0, 0, 0, 0},
};
