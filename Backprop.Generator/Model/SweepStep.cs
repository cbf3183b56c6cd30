namespace Backprop.Generator.Model;

/// <summary>
/// The two sweeps of a scalar method's pullback, each adjoint declared where it is first contributed to or in the
/// declarations (as zero) that come before the sweep.
/// </summary>
/// <param name="BeforeForward">Adjoints declared before the forward sweep (one a fused loop adds into there).</param>
/// <param name="Forward">The method's statements, and what the backward sweep asked to keep.</param>
/// <param name="BeforeBackward">Adjoints declared at the start of the backward sweep.</param>
/// <param name="Backward">Each gate's rule, from the result back to the parameters.</param>
internal sealed record PullbackSweeps(EquatableArray<SweepStep> BeforeForward, EquatableArray<SweepStep> Forward, EquatableArray<SweepStep> BeforeBackward, EquatableArray<SweepStep> Backward);

/// <summary>
/// One step of a pullback, scalar or tensor — its forward sweep (the method's statements plus what the backward sweep
/// asked to keep) or its backward sweep (each gate's rule in reverse, branches and loops replayed) — or of a scalar
/// method's forward mode (each gate, then its tangent: <see cref="TangentPlan"/>), as Differentiate decided it, for Emit
/// to spell (<c>Emit/SweepPrinter</c>). The kinds only tensor code makes are in <c>TensorSteps.cs</c>. Names are the
/// generated code's own (unique through Differentiate's name builder); types are the C# type names the method's
/// expressions carry.
/// </summary>
/// <remarks>Value-equatable: every member is immutable.</remarks>
internal abstract record SweepStep;

/// <summary>An empty line between the steps of two gates or statements.</summary>
internal sealed record SweepBlank : SweepStep;

/// <summary>
/// <c>Header { UpFront… Body… }</c>, and <c>while (DoWhile);</c> after the brace of a do-loop. <paramref name="UpFront"/>
/// declares, as zero, the adjoints that live in the block and are first touched deeper inside it.
/// </summary>
internal sealed record SweepBlock(SweepHeader Header, EquatableArray<SweepStep> Body, EquatableArray<SweepStep> UpFront, Expr? DoWhile = null) : SweepStep;

/// <summary><c>// Gate: Description</c> — the gate as its forward statement, and what its rule does.</summary>
internal sealed record SweepGateComment(GateStatement Gate, string Description) : SweepStep;

/// <summary><c>// backward of: Source</c>, the if or loop header as the user wrote it; for an if whose condition is evaluated again, says so.</summary>
internal sealed record SweepBackwardOf(string Source, bool ConditionAgain = false) : SweepStep;

/// <summary><c>// backward of: Condition ? ... : ...</c>, a conditional expression going back as an if; <paramref name="ConditionAgain"/> as for an if.</summary>
internal sealed record SweepBackwardOfChoice(Expr Condition, bool ConditionAgain = false) : SweepStep;

/// <summary>The comment before statements that run only if no exit numbered <paramref name="Guard"/> or lower was taken.</summary>
internal sealed record SweepExitGuardComment(int Guard) : SweepStep;

/// <summary>The comment before the backward step the fused loop's iterations run (the sum's gradient, negated or not).</summary>
internal sealed record SweepFusedStepComment(bool Negated) : SweepStep;

/// <summary>The comment before the fused loop: <paramref name="Sum"/> only sums into the result, so its gradient is known.</summary>
internal sealed record SweepFusedSumComment(string Sum, bool Negated) : SweepStep;

/// <summary>The comment before the gates that rebuild an iteration's <paramref name="Names"/> going back.</summary>
internal sealed record SweepRecomputeComment(EquatableArray<string> Names) : SweepStep;

/// <summary>
/// A gate's rule terms for one adjoint, in one statement: declared by the first contribution
/// (<c>double dq = z * dResult;</c>, negated when every term subtracts), else added into it (<c>+=</c>, or <c>-=</c>).
/// <paramref name="Earlier"/>: an earlier gate's contribution into the same array element, added in the same statement
/// (<c>dx[i] += x[i] * dproduct + x[i] * dproduct - db;</c>: one read and one write of the element, not two).
/// <paramref name="Sets"/>: the first contribution into an array element in a pass of a loop (<see cref="Differentiation.Analysis.PassReaders"/>),
/// which sets it (<c>=</c>): what the element held was the pass before's.
/// </summary>
internal sealed record SweepContribute(Expr Adjoint, bool Declare, EquatableArray<RuleTerm> Terms, GateNames Gate, SweepContribute? Earlier = null, bool Sets = false) : SweepStep;

/// <summary>
/// <c>// dx[i] -= db: in the statement below that adds into dx[i]</c> — where a contribution stood that a later one into
/// the same element took in (<see cref="SweepContribute.Earlier"/>), or, when <paramref name="Taken"/>, the take of the
/// element below (<see cref="SweepTakeElement.Added"/>).
/// </summary>
internal sealed record SweepContributedBelow(SweepContribute Contribution, bool Taken = false) : SweepStep;

/// <summary>A rule's term, added or subtracted.</summary>
internal sealed record RuleTerm(bool Subtract, Term Term);

/// <summary>
/// What a gate's rule terms stand for: the output adjoint, the result, the operands, and the companion value — the cos
/// SinCos kept in scalar code, or, in tensor code (which keeps no companion), <c>MathF.Cos(x)</c> computed where the rule needs it.
/// </summary>
internal sealed record GateNames(Expr Gradient, Expr Result, EquatableArray<Expr> Operands, Expr? Companion = null);

/// <summary>
/// <c>[DeclaredType ]Target = 0;</c>: an adjoint starts afresh (the value it belongs to is about to take an older one), a
/// value with no tangent, a partial a rule is about to add into.
/// </summary>
internal sealed record SweepZero(Expr Target, DataType? DeclaredType = null) : SweepStep;

/// <summary><c>Type Name = 0;</c>, an adjoint declared as zero ahead of its first use; <paramref name="Role"/> says when it is more than that.</summary>
internal sealed record SweepDeclareZero(string Name, DataType Type, ZeroRole Role = ZeroRole.Adjoint) : SweepStep;

/// <summary>What a value declared as zero is for (its trailing comment).</summary>
internal enum ZeroRole
{
    /// <summary>An adjoint (no comment).</summary>
    Adjoint,

    /// <summary>The local that sums what a loop adds into one element, added into it once after.</summary>
    SummedElement,

    /// <summary>The local that receives the adjoints of inputs that take no gradient (a rule must be passed one).</summary>
    Discard,
}

/// <summary>
/// <c>Target += Local;</c>: a locally summed adjoint handed to where it belongs; with <paramref name="Sets"/>,
/// <c>Target = Local;</c>, the first contribution into the element in a pass (as <see cref="SweepContribute.Sets"/>).
/// </summary>
internal sealed record SweepAddLocal(Expr Target, string Local, bool Sets = false) : SweepStep;

/// <summary>
/// <c>Type Local = Element;</c>: an element's adjoint read before it is cleared (an operand may be another element of the
/// same array); <paramref name="LeftAsIs"/> when it is not cleared, as the next pass sets it before adding to it.
/// </summary>
internal sealed record SweepTakeElement(string Local, DataType Type, Expr Element, bool LeftAsIs = false) : SweepStep
{
    /// <summary>
    /// A contribution into the element just before the take, added in the take instead (<c>Type Local = Element + …;</c>):
    /// only where the element is left as is, so that what memory holds is never read again (<see cref="Differentiation.TakenContributions"/>).
    /// </summary>
    public SweepContribute? Added { get; init; }
}

/// <summary>
/// <c>Target = Source;</c>: a value the forward sweep kept is put back (declared with <paramref name="DeclaredType"/>),
/// <paramref name="BeforeLoop"/> for one that a loop's entry kept.
/// </summary>
internal sealed record SweepRestore(Expr Target, KeptSource Source, DataType? DeclaredType = null, bool BeforeLoop = false) : SweepStep;

/// <summary>Where a kept value comes back from.</summary>
internal abstract record KeptSource;

/// <summary>A local of its own (<c>xBefore</c>).</summary>
internal sealed record KeptInLocal(string Local) : KeptSource;

/// <summary>The tape: the next value of <paramref name="Type"/> popped.</summary>
internal sealed record KeptOnTape(string Tape, DataType Type) : KeptSource;

/// <summary>A stack of the workspace that keeps a tensor loop's values, one per iteration: <c>Stack.Pop()</c>.</summary>
internal sealed record KeptOnStack(string Stack) : KeptSource;

/// <summary>A loop's block of the tape, read backwards: <c>Kept[--KeptAt]</c>.</summary>
internal sealed record KeptInBlock(string Kept, string KeptAt) : KeptSource;

/// <summary><c>Tape.PopAll(Array);</c>: a whole array as it was before a loop.</summary>
internal sealed record SweepRestoreArray(string Tape, DataType ElementType, string Array) : SweepStep;

/// <summary>
/// In a loop whose saves are one block: the arm that keeps fewer values skips the slots the other arm takes
/// (<c>keepAt += n</c> going forward, <c>keptAt -= n</c> going back).
/// </summary>
internal sealed record SweepSkipSlots(string Position, int Skip, bool Forward) : SweepStep;

/// <summary>The block of the tape a loop's saves go into: taken going forward (<paramref name="Forward"/>), looked at going back.</summary>
internal sealed record SweepSaveBlock(string Span, string Position, string Tape, LoopIterations Iterations, int PerIteration, bool Forward) : SweepStep;

/// <summary><c>Tape.DropDoubles(Kept.Length);</c>: the block is read.</summary>
internal sealed record SweepDropBlock(string Tape, string Kept) : SweepStep;

/// <summary>
/// The number of iterations of a counted loop from its first value to its bound: <c>To - From</c>, plus one when
/// <paramref name="Inclusive"/>.
/// </summary>
internal sealed record LoopIterations(Expr From, Expr To, bool Inclusive);

/// <summary><c>Type Name = Value;</c>: a value of the iteration computed again going back, cheaper than keeping it.</summary>
internal sealed record SweepRecompute(string Name, DataType Type, Expr Value) : SweepStep;

/// <summary><c>Name -= By;</c> (or <c>+=</c>): going back, a count stepped by a constant is stepped back rather than kept.</summary>
internal sealed record SweepUndoCount(string Name, bool Adds, Expr By, GateStatement Gate) : SweepStep;

/// <summary>
/// <c>Type Reciprocal = 1 / Divisor;</c> before a backward loop whose divide gates multiply by it (the loop does not write
/// the divisor), or before a Jacobian's rows.
/// </summary>
internal sealed record SweepReciprocal(VariableExpr Reciprocal, Expr Divisor, bool BeforeRows = false) : SweepStep;

/// <summary>
/// <c>Type Local = Count;</c> before a backward loop nest that steps <paramref name="Count"/> back, which reads and steps
/// <paramref name="Local"/> in its place (<see cref="Differentiation.CountsInLocals"/>).
/// </summary>
internal sealed record SweepCountInLocal(string Local, DataType Type, string Count) : SweepStep;

/// <summary>
/// <c>Type Local = Start;</c> before a backward nest that runs forward, stepping <paramref name="Local"/> as the forward nest
/// stepped <paramref name="Count"/> from the same start (<see cref="Differentiation.CountsFromTheirStart"/>): nothing kept.
/// </summary>
internal sealed record SweepCountFromStart(string Local, DataType Type, string Count, Expr Start) : SweepStep;

/// <summary><c>Name += By;</c> (or <c>-=</c>): in a backward loop that runs forward, a count stepped as the forward loop stepped it (<paramref name="Gate"/>).</summary>
internal sealed record SweepRedoCount(string Name, bool Adds, Expr By, GateStatement Gate) : SweepStep;

/// <summary>
/// <c>Rule(arguments…, result, [residual,] gradient, adjoints…);</c>: a [DerivativeRule] adds the gradient through a call
/// into the adjoints of its arguments. With no <paramref name="Result"/>, a [Differentiable] method's generated pullback
/// that tensor code calls (<c>HuberBackward(arguments…, gradient, adjoints…)</c>: it takes no result).
/// </summary>
internal sealed record SweepRuleCall(string Rule, EquatableArray<Expr> Arguments, Expr? Result, Expr Gradient, EquatableArray<CallAdjoint> Adjoints) : SweepStep
{
    /// <summary>The residual the rule's forward companion handed out, for a rule that takes one (softmax's probabilities).</summary>
    public Expr? Residual { get; init; }

    /// <summary>For an instance method's pullback called on another object (a sub-module: <c>this.Input</c>), that object; <see cref="Rule"/> is then the method's name.</summary>
    public Expr? Instance { get; init; }
}

/// <summary>
/// <c>Receiver.NameBackward(arguments…, gradient, adjoints…);</c>: a [Differentiable] callee's pullback; assigning the
/// callee's value to <paramref name="Returns"/> when it runs in place of the call.
/// </summary>
internal sealed record SweepPullbackCall(UserCallExpr Call, EquatableArray<Expr> Arguments, Expr Gradient, EquatableArray<CallAdjoint> Adjoints, Expr? Returns = null) : SweepStep;

/// <summary>What a call's pullback adds an argument's gradient into.</summary>
internal abstract record CallAdjoint;

/// <summary><c>null</c>: a tensor argument that takes no gradient.</summary>
internal sealed record NoAdjoint : CallAdjoint;

/// <summary>
/// A tensor to add into (for an element of an array, the same element of the array's gradient), or <c>null</c> in a
/// loop's first iteration (<paramref name="NullInFirst"/>) for a carried value that starts from one that takes no gradient.
/// </summary>
internal sealed record TensorAdjoint(Expr Adjoint, Iteration? NullInFirst = null) : CallAdjoint;

/// <summary><c>ref Target</c>: a scalar's adjoint (or a throw-away local).</summary>
internal sealed record AdjointByRef(Expr Target) : CallAdjoint;

/// <summary>A span: the array's adjoint.</summary>
internal sealed record AdjointSpan(string Adjoint) : CallAdjoint;

/// <summary><c>new ElementType[Array.Length]</c>: an array that carries no gradient gets a throw-away one.</summary>
internal sealed record ThrowAwaySpan(DataType ElementType, string Array) : CallAdjoint;

/// <summary><c>Gate;</c>: a gate that adds into its target (<c>s += x</c>).</summary>
internal sealed record SweepGate(GateStatement Gate) : SweepStep;

/// <summary>
/// <c>double[][] ArrayRows = new double[Count][];</c>: a row of <paramref name="Array"/> for each pass of the loop over
/// <paramref name="Counter"/>, which fills it afresh (<see cref="Differentiation.Analysis.IterationArrays"/>).
/// </summary>
internal sealed record SweepIterationRows(string Rows, DataType ElementType, Expr Count, string Array, string Counter) : SweepStep;

/// <summary>
/// <c>Array = Rows[Counter] ??= new ElementType[Length];</c> going forward (a pass takes its row, made on first use), or
/// <c>Array = Rows[Counter];</c> going back (<paramref name="Length"/> null): the pass's values, as that pass left them.
/// </summary>
internal sealed record SweepTakeRow(string Array, string Rows, string Counter, DataType ElementType, Expr? Length) : SweepStep;

/// <summary><c>[DeclaredType ]Target = Value;</c> in the forward sweep: a gate, a branch's record, a counter's start, the id of an exit.</summary>
internal sealed record SweepAssign(Expr Target, Expr Value, DataType? DeclaredType = null) : SweepStep;

/// <summary>
/// <c>(sin, cos) = Math.SinCos(angle);</c>, or, when the sweep still holds both for this angle, the values that hold them
/// (<paramref name="Held"/>). A side is declared where its type is given.
/// </summary>
internal sealed record SweepSinCos(Expr Sin, DataType? SinType, Expr Cos, DataType? CosType, MathCallExpr Math, Expr Angle, HeldValues? Held) : SweepStep;

/// <summary>The sine and cosine of an angle that the sweep computed earlier and still holds.</summary>
internal sealed record HeldValues(Expr Sin, Expr Cos);

/// <summary>
/// <c>[Type ]Adjoint = new T[Array.Length];</c> (or <c>stackalloc</c>, then <c>Adjoint.Clear();</c> when
/// <paramref name="Clear"/>: under <c>[SkipLocalsInit]</c>): the adjoint of a local array, made where the array is.
/// </summary>
internal sealed record SweepNewAdjoint(string Adjoint, DataType? DeclaredType, NewArrayExpr Array, string LengthOf, bool Clear = false) : SweepStep;

/// <summary>
/// <c>Type Elements[0] = 0, Elements[1] = 0, …;</c>: the local array <paramref name="Array"/>, or its adjoint when
/// <paramref name="IsAdjoint"/>, one local per element (<see cref="Differentiation.SmallArraysInLocals"/>), made where the
/// array was.
/// </summary>
internal sealed record SweepElementLocals(string Array, DataType ElementType, EquatableArray<string> Elements, bool IsAdjoint) : SweepStep;

/// <summary>
/// The comment before a loop unrolled so that the arrays it names (<paramref name="Arrays"/>), or their adjoints, are held
/// element by element in locals: one block per iteration follows. <paramref name="Loop"/> is the loop's header, shown for
/// a loop of the forward sweep (a backward one follows its <c>// backward of:</c>).
/// </summary>
internal sealed record SweepUnrolledComment(SweepHeader Loop, int Iterations, EquatableArray<string> Arrays) : SweepStep;

/// <summary>A value kept for the backward sweep: in a local, on the tape, or in the loop's block.</summary>
internal sealed record SweepKeep(KeepPlace Place, Expr Value, KeepReason Reason = KeepReason.None) : SweepStep;

/// <summary>Why a value is kept (its trailing comment).</summary>
internal enum KeepReason
{
    /// <summary>No comment: a value a gate is about to overwrite, a branch's record, an iteration count.</summary>
    None,

    /// <summary>A loop only adds to it, and the backward pass does not read it inside the loop: its value before the loop.</summary>
    BeforeLoop,

    /// <summary>The iteration ran to its end (int.MaxValue as its stop record).</summary>
    RanToEnd,

    /// <summary>The iteration stopped at the exit whose id is the value.</summary>
    StoppedAt,
}

/// <summary>Where a kept value goes.</summary>
internal abstract record KeepPlace;

/// <summary><c>[Type ]Local = value;</c>.</summary>
internal sealed record KeepInLocal(string Local, DataType? DeclaredType) : KeepPlace;

/// <summary><c>Tape.Push(value);</c> — of <paramref name="Type"/> (enums travel as int).</summary>
internal sealed record KeepOnTape(string Tape, DataType Type) : KeepPlace;

/// <summary><c>Stack.Push(value);</c>: a stack of the workspace that keeps a tensor loop's values, one per iteration.</summary>
internal sealed record KeepOnStack(string Stack) : KeepPlace;

/// <summary><c>Keep[KeepAt++] = value;</c>.</summary>
internal sealed record KeepInBlock(string Keep, string KeepAt) : KeepPlace;

/// <summary><c>Tape.PushAll(Array);</c>: a whole array kept as it was before a loop that only adds to its elements.</summary>
internal sealed record SweepKeepArray(string Tape, DataType ElementType, string Array) : SweepStep;

/// <summary><c>Name++;</c>: an iteration counted.</summary>
internal sealed record SweepCount(string Name) : SweepStep;

/// <summary><c>break;</c>, <c>continue;</c>, or <c>goto backward;</c> (an early return).</summary>
internal sealed record SweepJump(JumpKind Kind) : SweepStep;

internal enum JumpKind
{
    Break,
    Continue,
    ToBackward,
}

/// <summary>
/// A gate as the forward statement it stands for, for comments and for the forward sweep: <c>q = x + y</c>,
/// <c>s += product</c>, <c>(sin, cos) = Math.SinCos(a)</c>.
/// </summary>
/// <param name="Form">Which statement.</param>
/// <param name="Target">The value written (the sin or cos, for SinCos).</param>
/// <param name="Value">The right-hand side: the operand added (accumulations), the gate's value, or for SinCos its Sin or Cos call.</param>
/// <param name="Companion">For SinCos: the other of the pair.</param>
internal sealed record GateStatement(GateForm Form, Expr Target, Expr Value, string? Companion = null);

internal enum GateForm
{
    /// <summary><c>Target = Value</c>.</summary>
    Assign,

    /// <summary><c>Target += Value</c>.</summary>
    AddInto,

    /// <summary><c>Target -= Value</c>.</summary>
    SubtractFrom,

    /// <summary><c>(Target, Companion) = Math.SinCos(…)</c>: the target is the sine.</summary>
    SinCosOfSin,

    /// <summary><c>(Companion, Target) = Math.SinCos(…)</c>: the target is the cosine.</summary>
    SinCosOfCos,
}

/// <summary>A block's header.</summary>
internal abstract record SweepHeader;

/// <summary><c>if (Condition)</c>.</summary>
internal sealed record IfHeader(SweepCondition Condition) : SweepHeader;

/// <summary><c>else</c>.</summary>
internal sealed record ElseHeader : SweepHeader;

/// <summary><c>while (Condition)</c>.</summary>
internal sealed record WhileHeader(Expr Condition) : SweepHeader;

/// <summary><c>do</c> (its condition follows the block).</summary>
internal sealed record DoHeader : SweepHeader;

/// <summary><c>for (int Counter = Start; Counter Comparison Bound; Counter++)</c> (<c>--</c> when not ascending, <c>+= Step</c> or <c>-= Step</c> for a step of more than one): a loop as the user wrote it.</summary>
internal sealed record ForHeader(string Counter, Expr Start, BinaryOp Comparison, Expr Bound, bool Ascending, int Step = 1) : SweepHeader;

/// <summary>
/// Back through a loop that steps by <paramref name="Step"/> (more than one), its bounds still holding: the counter from
/// the last value the loop took — from how many iterations the comparison allowed — back to <paramref name="Start"/>.
/// </summary>
internal sealed record BackSteppedHeader(string Counter, BinaryOp Comparison, Expr Start, Expr Bound, int Step) : SweepHeader;

/// <summary>Back through a loop from its bound to its first value, both of which still hold (the loop's comparison says which way).</summary>
internal sealed record BackFromBoundHeader(string Counter, BinaryOp Comparison, Expr Start, Expr Bound) : SweepHeader;

/// <summary>Back through a counted loop from its recorded iteration count: the counter from its last value to <paramref name="Start"/>.</summary>
internal sealed record BackByCountHeader(string Counter, Expr Start, bool Ascending, string Count) : SweepHeader;

/// <summary><c>for (int Iteration = Count; Iteration &gt; 0; Iteration--)</c>: back through a loop with no counter.</summary>
internal sealed record BackIterationsHeader(string Iteration, string Count) : SweepHeader;

/// <summary><c>// Counter = Value</c> over a bare block: one iteration of a loop unrolled, its counter a constant.</summary>
internal sealed record IterationHeader(string Counter, int Value) : SweepHeader;

/// <summary>A condition of an if the sweeps write.</summary>
internal abstract record SweepCondition;

/// <summary>The user's condition (forward, or evaluated again going back).</summary>
internal sealed record ExprCondition(Expr Condition) : SweepCondition;

/// <summary>A local recording which arm ran.</summary>
internal sealed record RecordCondition(string Record) : SweepCondition;

/// <summary><c>Tape.PopBool()</c>: which arm ran, from the tape.</summary>
internal sealed record TapeCondition(string Tape) : SweepCondition;

/// <summary><c>Left Op Right</c>, each printed as an operand.</summary>
internal sealed record CompareCondition(Expr Left, BinaryOp Op, Expr Right) : SweepCondition;

/// <summary><c>Value &gt;= 0</c> (zero of <paramref name="Type"/>): the sign test of abs.</summary>
internal sealed record NonNegativeCondition(Expr Value, DataType Type) : SweepCondition;

/// <summary><c>Left &amp;&amp; Right</c>.</summary>
internal sealed record BothCondition(SweepCondition Left, SweepCondition Right) : SweepCondition;

/// <summary><c>!Condition</c>, parenthesised unless it is a record or a pop.</summary>
internal sealed record NotCondition(SweepCondition Condition) : SweepCondition;
