/* Test-only oracle: prints what the Wazuh manager's own XML reader (os_xml, compiled from
 * ../shared/wazuh-src-4.14.7 by tests/common/oracle.rs, never shipped) makes of each file:
 * refused with its message and line, or the element tree after variables, walked with
 * OS_GetElementsbyNode as analysisd walks it. tests/common/oracle.rs prints our reader's
 * tree in the same format; the differential test compares the two. */
#include <stdio.h>
#include <string.h>
#include "os_xml.h"

static void put(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\') fputs("\\\\", stdout);
        else if (*p >= 0x20 && *p < 0x7f) putchar(*p);
        else printf("\\x%02x", *p);
    }
}

static void dump(OS_XML *xml, xml_node *node, int depth) {
    xml_node **children = OS_GetElementsbyNode(xml, node);
    if (!children) return;
    for (int i = 0; children[i]; i++) {
        xml_node *c = children[i];
        printf("%d E ", depth); put(c->element); putchar('\n');
        for (int j = 0; c->attributes && c->attributes[j]; j++) {
            printf("%d A ", depth); put(c->attributes[j]); putchar('=');
            put(c->values[j]); putchar('\n');
        }
        printf("%d C ", depth); if (c->content) put(c->content); putchar('\n');
        dump(xml, c, depth + 1);
    }
    OS_ClearNode(children);
}

int main(int argc, char **argv) {
    for (int a = 1; a < argc; a++) {
        OS_XML xml;
        printf("FILE %s\n", argv[a]);
        if (OS_ReadXML(argv[a], &xml) < 0) {
            printf("REFUSED %u ", xml.err_line); put(xml.err); putchar('\n');
            continue;
        }
        if (OS_ApplyVariables(&xml) != 0) {
            printf("REFUSED %u ", xml.err_line); put(xml.err); putchar('\n');
            OS_ClearXML(&xml);
            continue;
        }
        printf("READ\n");
        dump(&xml, NULL, 0);
        OS_ClearXML(&xml);
    }
    return 0;
}
