"""The grammar of SPARQL 1.1 queries and updates: one method per production (the request, queries, graph
patterns, triples, property paths, updates), reading what :func:`kgtool.sparql.check_query` decides on into
:class:`~kgtool.sparql_syntax.limits.Parsed` and counting patterns, parts and steps against the limits."""

from __future__ import annotations

from .expressions import BUILTINS, Expressions
from .lexer import EOF
from .limits import LimitExceeded, Limits, Parsed

__all__ = ["Parser"]

_DATA_VALUE_KINDS = frozenset({"iri", "pname", "str", "num"})
_NOT_TRIPLES = frozenset({"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"})


class Parser(Expressions):
    """One request's parse (see :class:`~kgtool.sparql_syntax.lexer.Cursor` for the cursor it moves)."""

    def __init__(self, text: str, limits: Limits) -> None:
        self.data_mode = ""  # "insert", "delete" or "template": quads where variables or blank nodes are refused
        # A blank node label names one node in one basic graph pattern only (section 19.6): the pattern each
        # label was first used in; patterns are numbered as they start (0: outside any WHERE group).
        self.bgp = 0
        self.bgps = 0
        self.labels: dict[str, int] = {}
        super().__init__(text, limits)

    # -- the request

    def parse(self, update: bool | None) -> Parsed:
        """The request: a query or an update (``update``), or whichever its first keyword says (None)."""
        self.prologue()
        if update is None:
            update = not self.is_word("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
        return self.parse_update() if update else self.parse_query()

    def parse_query(self) -> Parsed:
        word = self.val if self.kind == "word" else ""
        if word == "SELECT":
            self.out.form = "SELECT"
            self.select_clause()
            self.dataset_clauses()
            self.where_clause()
            self.solution_modifier()
        elif word == "CONSTRUCT":
            self.out.form = "CONSTRUCT"
            self.construct_query()
        elif word == "DESCRIBE":
            self.out.form = "DESCRIBE"
            self.advance()
            if not self.accept("*"):
                if not self.var_or_iri():
                    self.fail("a variable, an IRI or '*'")
                while self.var_or_iri():
                    pass
            self.dataset_clauses()
            if self.is_word("WHERE") or self.is_punct("{"):
                self.where_clause()
            self.solution_modifier()
        elif word == "ASK":
            self.out.form = "ASK"
            self.advance()
            self.dataset_clauses()
            self.where_clause()
            self.solution_modifier()
        else:
            self.fail("SELECT, CONSTRUCT, DESCRIBE or ASK")
        self.values_clause()
        if self.kind != EOF:
            self.fail("the end of the query")
        return self.out

    def parse_update(self) -> Parsed:
        self.out.form = "UPDATE"
        while True:
            self.prologue()
            if self.kind == EOF:
                break
            self.update1()
            if not self.accept(";"):
                break
        if self.kind != EOF:
            self.fail("';' or the end of the update")
        return self.out

    def prologue(self) -> None:
        while self.kind == "word":
            if self.val == "BASE":
                self.advance()
                self.iriref()
            elif self.val == "PREFIX":
                self.advance()
                if self.kind != "pname" or not self.raw.endswith(":"):
                    self.fail("a prefix name such as 'ex:'")
                self.advance()
                self.iriref()
            else:
                return

    # -- queries

    def select_clause(self) -> None:
        self.expect("SELECT")
        if not self.accept("DISTINCT"):
            self.accept("REDUCED")
        if self.accept("*"):
            return
        count = 0
        while True:
            if self.kind == "var":
                self.advance()
            elif self.is_punct("("):
                self.advance()
                self.enter()
                self.expression()
                self.expect("AS")
                self.var()
                self.expect(")")
                self.depth -= 1
            else:
                break
            count += 1
        if count == 0:
            self.fail("'*', a variable or '(' expression AS variable ')'")

    def dataset_clauses(self) -> None:
        while self.accept("FROM"):
            if self.accept("NAMED"):
                self.out.from_named.append(self.iri())
            else:
                self.out.from_graphs.append(self.iri())

    def where_clause(self) -> None:
        self.accept("WHERE")
        self.group_graph_pattern()

    def construct_query(self) -> None:
        self.advance()
        if self.is_punct("{"):
            self.advance()
            self.enter()
            self.triples_template("}")
            self.expect("}")
            self.depth -= 1
            self.dataset_clauses()
            self.where_clause()
        else:
            self.dataset_clauses()
            self.expect("WHERE")
            self.expect("{")
            self.enter()
            self.triples_template("}")
            self.expect("}")
            self.depth -= 1
        self.solution_modifier()

    def solution_modifier(self) -> None:
        if self.is_word("GROUP"):
            self.advance()
            self.expect("BY")
            if not self.group_condition():
                self.fail("a grouping condition")
            while self.group_condition():
                pass
        if self.accept("HAVING"):
            if not self.constraint():
                self.fail("a HAVING condition")
            while self.constraint():
                pass
        if self.is_word("ORDER"):
            self.advance()
            self.expect("BY")
            if not self.order_condition():
                self.fail("an ORDER BY condition")
            while self.order_condition():
                pass
        if self.accept("LIMIT"):
            self.integer()
            if self.accept("OFFSET"):
                self.integer()
        elif self.accept("OFFSET"):
            self.integer()
            if self.accept("LIMIT"):
                self.integer()

    def integer(self) -> None:
        if self.kind != "num" or not self.raw.isdigit():
            self.fail("an integer")
        self.advance()

    def group_condition(self) -> bool:
        if self.kind == "var":
            self.advance()
            return True
        if self.is_punct("("):
            self.advance()
            self.enter()
            self.expression()
            if self.accept("AS"):
                self.var()
            self.expect(")")
            self.depth -= 1
            return True
        return self.constraint()

    def order_condition(self) -> bool:
        if self.is_word("ASC", "DESC"):
            self.advance()
            self.bracketted_expression(0)
            return True
        if self.kind == "var":
            self.advance()
            return True
        return self.constraint()

    def constraint(self) -> bool:
        """Constraint [69]: a bracketted expression, a built-in call or a function call."""
        if self.is_punct("("):
            self.bracketted_expression(0)
            return True
        if self.kind == "word" and self.val in BUILTINS and not (self.val == "NOT" and self.peek()[1] != "EXISTS"):
            self.builtin_call(0)
            return True
        if self.kind in ("iri", "pname"):
            self.iri()
            self.arg_list(0)
            return True
        return False

    def values_clause(self) -> None:
        if self.accept("VALUES"):
            self.data_block()

    def data_block(self) -> None:
        self.count_pattern()
        if self.kind == "var":
            self.advance()
            self.expect("{")
            while self.data_block_value():
                pass
            self.expect("}")
            return
        self.expect("(")
        width = 0
        while self.kind == "var":
            self.advance()
            width += 1
        self.expect(")")
        self.expect("{")
        while self.accept("("):
            count = 0
            while self.data_block_value():
                count += 1
            if count != width:
                self.fail(f"{width} values in each row of VALUES")
            self.expect(")")
        self.expect("}")

    def data_block_value(self) -> bool:
        if self.kind in _DATA_VALUE_KINDS:
            self.graph_term()
            return True
        if self.is_word("UNDEF", "TRUE", "FALSE"):
            self.advance()
            return True
        return False

    # -- graph patterns

    def group_graph_pattern(self) -> None:
        """GroupGraphPattern [53]."""
        if not self.is_punct("{"):
            self.fail("'{'")
        self.advance()
        self.enter()
        self.count_pattern()
        if self.is_word("SELECT"):
            self.select_clause()
            self.where_clause()
            self.solution_modifier()
            self.values_clause()
        else:
            self.group_graph_pattern_sub()
        self.expect("}")
        self.depth -= 1

    def group_graph_pattern_sub(self) -> None:
        """GroupGraphPatternSub [54]: its parts are its triples blocks and the graph patterns between them."""
        parts = 0
        in_block = False  # reading a triples block
        after_triples = False  # a triples block must be ended by '.' before another one starts
        outer = self.bgp
        self.new_bgp()
        while not self.is_punct("}"):
            if self.kind == "word" and self.val in _NOT_TRIPLES:
                filter_ = self.val == "FILTER"  # a FILTER does not end a basic graph pattern
                self.graph_pattern_not_triples()
                if not filter_:
                    self.new_bgp()
                in_block = after_triples = False
                self.accept(".")
            elif self.is_punct("{"):
                self.group_or_union()
                self.new_bgp()
                in_block = after_triples = False
                self.accept(".")
            else:
                if after_triples:
                    self.fail("'.', '}' or a graph pattern")
                self.triples_same_subject(path=True)
                after_triples = not self.accept(".")
                if in_block:
                    continue
                in_block = True
            parts += 1
            self.count_group(parts, "a group graph pattern")
        self.bgp = outer

    def new_bgp(self) -> None:
        self.bgps += 1
        self.bgp = self.bgps

    def graph_pattern_not_triples(self) -> None:
        word = self.val
        self.advance()
        if word in ("OPTIONAL", "MINUS"):
            self.group_graph_pattern()
        elif word == "GRAPH":
            self.var_or_iri_required()
            self.group_graph_pattern()
        elif word == "SERVICE":
            self.out.uses_service = True
            self.accept("SILENT")
            self.var_or_iri_required()
            self.group_graph_pattern()
        elif word == "FILTER":
            self.count_pattern()
            if not self.constraint():
                self.fail("a FILTER condition: '(' expression ')', a built-in call or a function call")
        elif word == "BIND":
            self.count_pattern()
            self.expect("(")
            self.enter()
            self.expression()
            self.expect("AS")
            self.var()
            self.expect(")")
            self.depth -= 1
        else:  # VALUES
            self.data_block()

    def group_or_union(self) -> None:
        self.group_graph_pattern()
        branches = 1
        while self.accept("UNION"):
            self.group_graph_pattern()
            branches += 1
            self.count_group(branches, "a UNION")

    # -- triples

    def triples_template(self, end: str) -> None:
        """TriplesTemplate [52] / ConstructTriples [74], up to ``end``: triples without paths."""
        while not self.is_punct(end):
            self.triples_same_subject(path=False)
            if not self.accept("."):
                return

    def triples_same_subject(self, path: bool) -> None:
        """TriplesSameSubject(Path) [75]/[81]."""
        if self.is_punct("[") or self.is_punct("("):
            # '[]' and '()' are terms, which a property list must follow; after '[ ... ]' it is optional
            if self.triples_node(path) or self.starts_verb(path):
                self.property_list_not_empty(path)
        else:
            self.var_or_term()
            self.property_list_not_empty(path)

    def starts_verb(self, path: bool) -> bool:
        if self.kind in ("var", "iri", "pname") or (self.kind == "word" and self.raw == "a"):
            return True
        return path and self.kind == "punct" and self.val in ("^", "!", "(")

    def property_list_not_empty(self, path: bool) -> None:
        """PropertyList(Path)NotEmpty [77]/[83]."""
        self.verb(path)
        self.object_list(path)
        while self.accept(";"):
            if self.starts_verb(path):
                self.verb(path)
                self.object_list(path)

    def verb(self, path: bool) -> None:
        if self.kind == "var":
            self.check_variable()
            self.advance()
        elif path:
            self.path()
        elif self.kind == "word" and self.raw == "a":
            self.advance()
        elif self.kind in ("iri", "pname"):
            self.iri()
        else:
            self.fail("a predicate: a variable, an IRI or 'a'")

    def object_list(self, path: bool) -> None:
        self.count_pattern()  # one triple pattern (or path) per object
        self.graph_node(path)
        while self.accept(","):
            self.count_pattern()
            self.graph_node(path)

    def graph_node(self, path: bool) -> None:
        if self.is_punct("[") or self.is_punct("("):
            self.triples_node(path)
        else:
            self.var_or_term()

    def triples_node(self, path: bool) -> bool:
        """A collection or a blank node property list; True for the terms ``()`` (NIL) and ``[]`` (ANON)."""
        if self.is_punct("("):
            self.advance()
            if self.accept(")"):
                return True
            self.check_blank_node()  # a collection is made of blank nodes
            self.enter()
            while True:
                self.count_pattern(2)  # each item is two triples (rdf:first, rdf:rest)
                self.graph_node(path)
                if self.accept(")"):
                    break
            self.depth -= 1
            return False
        self.expect("[")
        if self.accept("]"):
            self.check_blank_node()
            return True
        self.check_blank_node()
        self.enter()
        self.property_list_not_empty(path)
        self.expect("]")
        self.depth -= 1
        return False

    def var_or_term(self) -> None:
        if self.kind == "var":
            self.check_variable()
            self.advance()
        else:
            self.graph_term()

    def graph_term(self) -> None:
        kind = self.kind
        if kind in ("iri", "pname"):
            self.iri()
        elif kind == "str":
            self.rdf_literal()
        elif kind == "num":
            self.advance()
        elif kind == "bnode":
            self.check_blank_node()
            if self.bgp and self.labels.setdefault(self.raw, self.bgp) != self.bgp:
                self.fail(f"a blank node label not used in another basic graph pattern ({self.raw} is)")
            self.advance()
        elif self.is_word("TRUE", "FALSE"):
            self.advance()
        elif self.is_punct("("):  # NIL
            self.advance()
            self.expect(")")
        elif self.is_punct("["):  # ANON
            self.check_blank_node()
            self.advance()
            self.expect("]")
        else:
            self.fail("an RDF term or a variable")

    def check_variable(self) -> None:
        if self.data_mode in ("insert", "delete"):
            self.fail("no variables in INSERT DATA or DELETE DATA")

    def check_blank_node(self) -> None:
        if self.data_mode in ("delete", "template"):
            self.fail("no blank nodes in DELETE DATA, DELETE WHERE or a DELETE template")

    def var_or_iri(self) -> bool:
        if self.kind in ("var", "iri", "pname"):
            self.advance()
            return True
        return False

    def var_or_iri_required(self) -> None:
        if not self.var_or_iri():
            self.fail("a variable or an IRI")

    # -- property paths

    def path(self) -> None:
        """Path [88]: its steps are counted for the whole path, its groups as nesting."""
        steps = self.path_alternative(0)
        if steps > self.out.longest_path:
            self.out.longest_path = steps

    def path_alternative(self, steps: int) -> int:
        steps = self.path_sequence(steps)
        while self.accept("|"):
            steps = self.path_sequence(steps)
        return steps

    def path_sequence(self, steps: int) -> int:
        steps = self.path_elt_or_inverse(steps)
        while self.accept("/"):
            steps = self.path_elt_or_inverse(steps)
        return steps

    def path_elt_or_inverse(self, steps: int) -> int:
        self.accept("^")
        if self.kind in ("iri", "pname") or (self.kind == "word" and self.raw == "a"):
            self.advance()
            steps += 1
        elif self.accept("!"):
            steps = self.negated_property_set(steps)
        elif self.accept("("):
            self.enter()
            steps = self.path_alternative(steps)
            self.expect(")")
            self.depth -= 1
        else:
            self.fail("a property path: an IRI, 'a', '^', '!' or '('")
        if steps > self.limits.path:
            raise LimitExceeded(f"a property path has more than {self.limits.path} steps")
        if self.kind == "punct" and self.val in ("?", "*", "+"):
            self.advance()
        return steps

    def negated_property_set(self, steps: int) -> int:
        if self.accept("("):
            if self.accept(")"):
                return steps + 1
            steps = self.path_one_in_property_set(steps)
            while self.accept("|"):
                steps = self.path_one_in_property_set(steps)
                if steps > self.limits.path:
                    raise LimitExceeded(f"a property path has more than {self.limits.path} steps")
            self.expect(")")
            return steps
        return self.path_one_in_property_set(steps)

    def path_one_in_property_set(self, steps: int) -> int:
        self.accept("^")
        if self.kind in ("iri", "pname") or (self.kind == "word" and self.raw == "a"):
            self.advance()
            return steps + 1
        self.fail("an IRI or 'a' in a negated property set")
        return steps

    # -- updates

    def update1(self) -> None:
        word = self.val if self.kind == "word" else ""
        operations = self.out.operations
        if word == "LOAD":
            self.out.uses_load = True
            operations.append(word)
            self.advance()
            self.accept("SILENT")
            self.iri()
            if self.accept("INTO"):
                self.expect("GRAPH")
                self.iri()
        elif word in ("CLEAR", "DROP"):
            operations.append(word)
            self.advance()
            self.accept("SILENT")
            if not (self.accept("DEFAULT") or self.accept("NAMED") or self.accept("ALL")):
                self.expect("GRAPH")
                self.iri()
        elif word == "CREATE":
            operations.append(word)
            self.advance()
            self.accept("SILENT")
            self.expect("GRAPH")
            self.iri()
        elif word in ("ADD", "MOVE", "COPY"):
            operations.append(word)
            self.advance()
            self.accept("SILENT")
            self.graph_or_default()
            self.expect("TO")
            self.graph_or_default()
        elif word == "INSERT" and self.peek()[1] == "DATA":
            operations.append("INSERT DATA")
            self.advance()
            self.advance()
            self.quad_pattern("insert")
        elif word == "DELETE" and self.peek()[1] == "DATA":
            operations.append("DELETE DATA")
            self.advance()
            self.advance()
            self.quad_pattern("delete")
        elif word == "DELETE" and self.peek()[1] == "WHERE":
            operations.append("DELETE WHERE")
            self.advance()
            self.advance()
            self.quad_pattern("template")
        elif word in ("WITH", "DELETE", "INSERT"):
            operations.append("MODIFY")
            if self.accept("WITH"):
                self.out.uses_with = True
                self.iri()
            if self.accept("DELETE"):
                self.quad_pattern("template")
                if self.accept("INSERT"):
                    self.quad_pattern("")
            else:
                self.expect("INSERT")
                self.quad_pattern("")
            while self.accept("USING"):
                self.out.uses_using = True
                self.accept("NAMED")
                self.iri()
            self.expect("WHERE")
            self.group_graph_pattern()
        else:
            self.fail("an update operation (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD or WITH)")

    def graph_or_default(self) -> None:
        if self.accept("DEFAULT"):
            return
        self.accept("GRAPH")
        self.iri()

    def quad_pattern(self, mode: str) -> None:
        """QuadPattern [48] / QuadData [49]: ``mode`` says which terms are refused (see :meth:`check_variable`)."""
        self.expect("{")
        self.enter()
        self.data_mode = mode
        parts = 0
        while True:
            if self.is_word("GRAPH"):
                self.advance()
                if self.kind == "var":
                    self.check_variable()
                self.var_or_iri_required()
                self.expect("{")
                self.enter()
                self.triples_template("}")
                self.expect("}")
                self.depth -= 1
                self.accept(".")
            elif self.is_punct("}"):
                break
            else:
                self.triples_same_subject(path=False)
                if not self.accept(".") and not self.is_word("GRAPH") and not self.is_punct("}"):
                    self.fail("'.', 'GRAPH' or '}'")
            parts += 1
            self.count_group(parts, "a block of quads")
        self.data_mode = ""
        self.expect("}")
        self.depth -= 1
