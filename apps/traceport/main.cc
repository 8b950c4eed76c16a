// traceport: the single binary. Argument parsing and dispatch only; the work is in src/.
#include <cstdio>

#include "apps/traceport/cli.h"

int main(int argc, char** argv) {
  using namespace traceport::cli;
  CLI::App app{
      "traceport: trade documents as verifiable credentials, for customs and the trade parties "
      "around them"};
  app.name("traceport");
  app.require_subcommand(1);
  app.set_version_flag("--version", "traceport 0.1.0");
  Context ctx;
  RegisterKeyCommands(app, ctx);
  RegisterDidCommands(app, ctx);
  RegisterJoseCommands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    for (char& c : msg) {
      if (c == '\n') c = ' ';
    }
    std::fprintf(stderr, "traceport: usage error: %s (run with --help)\n", msg.c_str());
    return kExitUsage;
  }
  return Report(ctx, LastStatus());
}
