#include <stdio.h>
int main(void) { puts("prescreen: skeleton"); return 0; }
