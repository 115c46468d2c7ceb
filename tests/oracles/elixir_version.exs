# The Elixir oracle of tests/oracles/differential.py: Elixir's own Version module (Debian's
# elixir package, 1.14), answering a whole batch in one process (start-up is ~0.5 s).
#
#     elixir tests/oracles/elixir_version.exs < cases
#
# One case a line, fields separated by the byte 0x1F (so that a requirement may hold TABs):
#   compare <US> A <US> B                  -> -1, 0 or 1 (Version.compare), or "invalid"
#   match <US> REQUIREMENT <US> V <US> P   -> true or false (Version.match?(V, REQ,
#                                             allow_pre: P == "true")),
#                                             "invalid-requirement" or "invalid-version"
# One answer a line, in order. Elixir 1.14 prints a deprecation warning on stderr for each
# requirement with `!=` or `!`; stderr is not part of the answer.

answer = fn
  ["compare", a, b] ->
    with {:ok, x} <- Version.parse(a), {:ok, y} <- Version.parse(b) do
      case Version.compare(x, y) do
        :lt -> "-1"
        :eq -> "0"
        :gt -> "1"
      end
    else
      _ -> "invalid"
    end

  ["match", requirement, version, allow_pre] ->
    case {Version.parse_requirement(requirement), Version.parse(version)} do
      {:error, _} -> "invalid-requirement"
      {_, :error} -> "invalid-version"
      {{:ok, req}, {:ok, v}} -> to_string(Version.match?(v, req, allow_pre: allow_pre == "true"))
    end
end

# Raw bytes in and out: a requirement may hold any UTF-8 (Elixir's lexer reads it as such).
:ok = :io.setopts(:standard_io, binary: true, encoding: :latin1)

IO.binread(:stdio, :eof)
|> case do
  :eof -> ""
  data -> data
end
|> String.split("\n")
|> Enum.drop(-1)
|> Enum.map(fn line -> [answer.(String.split(line, <<31>>)), "\n"] end)
|> IO.binwrite()
