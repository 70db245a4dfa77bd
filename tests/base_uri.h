/* The bundle's base URI (docs/PORTS.md): every plugin of the bundle is this plus its short
 * name, and the tests enumerate the bundle as the plugins whose URI starts with it. The one
 * place the tests and benchmarks spell it. */
#ifndef QK_TEST_BASE_URI_H
#define QK_TEST_BASE_URI_H

#define QK_TEST_BASE_URI "https://quarks-lv2.github.io/lv2/"

#endif
