#include "gen.h"
int main(void){return 0;}
