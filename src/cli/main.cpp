// kyso cli — entry point: `kyso <command> ...`.
#include "cli/commands.h"

int main(int argc, char** argv) {
    return kyso::cli::run(argc, argv);
}
