/* child_log.h - a child's log output: "SUB L text\n" lines on the log pipe;
 * tncd stamps the slot and writes them to stderr or the journal. */
#ifndef TNC_CHILD_LOG_H
#define TNC_CHILD_LOG_H

void child_log_init(int fd);

#endif
