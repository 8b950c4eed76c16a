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
  RegisterVcCommands(app, ctx);
  RegisterLedgerCommands(app, ctx);
  RegisterNodeCommands(app, ctx);
  RegisterDemoCommands(app, ctx);
  RegisterCustomsCommands(app, ctx);
  RegisterAssistCommands(app, ctx);
  RegisterContextsCommands(app, ctx);
  // Name an unknown command plainly (CLI11 would only say that a subcommand is required).
  CLI::App* level = &app;
  for (int i = 1; i < argc && argv[i][0] != '-'; ++i) {
    auto subs = level->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty()) break;
    CLI::App* next = nullptr;
    for (CLI::App* s : subs) {
      if (s->get_name() == argv[i]) next = s;
    }
    if (next == nullptr) {
      std::fprintf(stderr, "traceport: usage error: unknown command '%s' (run with --help)\n",
                   argv[i]);
      return kExitUsage;
    }
    level = next;
  }
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
