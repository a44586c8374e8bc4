# The guest commands of every lesson (lessons/en, lessons/zh_CN), in one boot of an M
# build; the host compares their output with the lessons' (guest/run-lessons.sh).
ENTRY=lessons
RUNNER=lessons
