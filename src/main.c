/* main.c -- sriov-sim command line (being written). */
#include <stdio.h>
int main(void) { fputs("sriov-sim: not built yet\n", stderr); return 1; }
