/* fuzz_report.c -- libFuzzer target for the report's readers.
 *
 * Every input is opened as an HDF5 file image (core driver, nothing on
 * disk) and given to both readers of `sriov-sim report`: the results-file
 * one and the sweep summary.h5 one (src/report/rcheck.h). They read what
 * the figures need and free it; nothing is drawn (the topology's reads
 * too: /meta/resolved and /links, not its scenario load, which
 * fuzz_scenario.c covers). Any input must read or
 * be refused (a missing piece, or "damaged"); a crash, a sanitizer report,
 * a leak or a hang is a bug.
 *
 * Variable-length strings are converted by libhdf5 in a child process
 * (src/report/rh5_vlen.c): a crash there is the file's damage, reported,
 * not the fuzzer's finding. The child's budget is cut to 1 s so that an
 * input that hangs libhdf5 costs 1 s, far below libFuzzer's -timeout.
 */
#include <hdf5.h>
#include <stdint.h>
#include <stdlib.h>

#include "report/rcheck.h"
#include "report/rh5.h"

/* The libhdf5 file-access list of an image of the input, or -1. */
static hid_t image_fapl(const uint8_t *data, size_t size)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return -1;
    if (H5Pset_fapl_core(fapl, 1 << 16, 0) < 0 ||
        H5Pset_file_image(fapl, (void *)data, size) < 0) {
        H5Pclose(fapl);
        return -1;
    }
    return fapl;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);   /* refusals are expected */
        rp_set_vlen_budget(1.0);
        ready = 1;
    }
    if (size == 0)
        return 0;
    hid_t fapl = image_fapl(data, size);
    hid_t file = fapl < 0 ? -1 : H5Fopen("fuzz.h5", H5F_ACC_RDONLY, fapl);
    if (file >= 0) {
        rp_check_results(file);
        rp_check_summary(file);
        rp_check_compare(file);
        rp_check_topology(file);
        H5Fclose(file);
    }
    if (fapl >= 0)
        H5Pclose(fapl);
    return 0;
}
