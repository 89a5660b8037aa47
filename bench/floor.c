/*
 * The floor for one config edit: what no editor of a YAML file can avoid. libyaml parses the
 * whole file once (every event), then the bytes are written back durably the way ctagent
 * does it: a temp file in the same folder, fsync, rename over the file, fsync of the folder.
 * Usage: floor FILE
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: floor FILE\n"); return 64; }
    int fd = open(argv[1], O_RDONLY);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0) { perror(argv[1]); return 66; }
    unsigned char *bytes = malloc(info.st_size + 1);
    ssize_t got = 0;
    while (got < info.st_size) {
        ssize_t n = read(fd, bytes + got, info.st_size - got);
        if (n <= 0) { perror("read"); return 74; }
        got += n;
    }
    close(fd);

    yaml_parser_t parser;
    yaml_event_t event;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, bytes, info.st_size);
    int done = 0;
    while (!done) {
        if (!yaml_parser_parse(&parser, &event)) { fprintf(stderr, "parse error\n"); return 65; }
        done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);

    char temp[4096];
    snprintf(temp, sizeof temp, "%s.floor-tmp", argv[1]);
    int out = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0 || write(out, bytes, info.st_size) != info.st_size || fsync(out) != 0 || close(out) != 0) {
        perror(temp);
        return 74;
    }
    if (rename(temp, argv[1]) != 0) { perror("rename"); return 73; }
    char folder[4096];
    snprintf(folder, sizeof folder, "%s", argv[1]);
    int dir = open(dirname(folder), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) { fsync(dir); close(dir); }
    free(bytes);
    return 0;
}
