using System.Linq;

namespace Backprop.Generator.Model;

/// <summary>How a callee's parameter takes a gradient in a derivative rule.</summary>
internal enum AdjointSlot
{
    /// <summary>No adjoint: integers, labels, [NoDiff] parameters.</summary>
    None,

    /// <summary>A <c>Tensor?</c> adjoint: the tensor to add into, or null when the input needs no gradient.</summary>
    Tensor,

    /// <summary>A <c>ref float</c> / <c>ref double</c> adjoint.</summary>
    Scalar,
}

/// <summary>A value in tensor code: a parameter, field, local or temporary, an element of an array, or an inactive expression.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Value">The value: a <see cref="VariableExpr"/> for a name, a field read, an expression of values that take no gradient.</param>
/// <param name="Type">Its type.</param>
/// <param name="Active">True when it depends on a value that takes a gradient.</param>
/// <param name="Element">For an element of a <c>Tensor[]</c> field or parameter, which one.</param>
internal sealed record TensorOperand(Expr Value, DataType Type, bool Active, TensorElement? Element = null)
{
    public bool IsTensor => Type.IsTensor;

    /// <summary>The name when the value is a parameter, local or temporary; null for a field, an element, an expression.</summary>
    public string? Name => (Value as VariableExpr)?.Name;

    /// <summary>The value named <paramref name="name"/>.</summary>
    public static TensorOperand Named(string name, DataType type, bool active) => new(Variable(name, type), type, active);

    /// <summary>A read of the local, parameter or temporary <paramref name="name"/>.</summary>
    public static VariableExpr Variable(string name, DataType type) => new(name, type);
}

/// <summary>An argument of a rule call, with the adjoint its rule takes for it.</summary>
/// <param name="Value">The argument.</param>
/// <param name="Slot">The adjoint the rule takes for it.</param>
/// <param name="SharesGradient">True when the rule marks that adjoint [SharesGradient]: the input receives dResult unchanged, so its adjoint may be dResult's own tensor.</param>
/// <param name="WritesFirst">True when the rule marks that adjoint [WritesFirst]: where the rule is the first to reach it, it may be a fresh tensor the rule writes.</param>
internal sealed record TensorArgument(TensorOperand Value, AdjointSlot Slot, bool SharesGradient = false, bool WritesFirst = false);

/// <summary>What a step computes.</summary>
internal enum TensorStepKind
{
    /// <summary><c>Target = F(arguments)</c> for an F with a [DerivativeRule]: the rule is called in the backward sweep.</summary>
    Rule,

    /// <summary>Scalar arithmetic on the float results of reductions and losses: + − · / and negation.</summary>
    Arithmetic,

    /// <summary>A Math/MathF function of those results (<c>MathF.Sqrt(loss)</c>), differentiated by the scalar gates' rules.</summary>
    Math,

    /// <summary>
    /// <c>Max</c>, <c>Min</c> (of two) or <c>Abs</c> of those results: a router, the whole gradient to the input that won
    /// (a tie to the first; Abs routes +/− by the sign, + at 0), as in scalar code.
    /// </summary>
    Router,

    /// <summary>A value no gradient flows through (stop-gradient, a call on inactive values): forward only.</summary>
    Inactive,
}

/// <summary>A node of tensor code: a step, or a branch holding steps of its own.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal abstract record TensorNode;

/// <summary>One step of tensor code: one operation assigned to a fresh name (each assignment makes a new version).</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Target">The name the step assigns (a user's local, a versioned local, or a temporary).</param>
/// <param name="Type">The target's type.</param>
/// <param name="Kind">What the step computes.</param>
/// <param name="Forward">The forward expression (<c>X * W1</c>, <c>global::Backprop.Nn.Relu(sum)</c>).</param>
/// <param name="Function">The function's short name for comments (<c>MatMul</c>, <c>Relu</c>); empty for an Arithmetic step, which <see cref="TensorStep.Operator"/> describes.</param>
/// <param name="Rule">For Rule steps: the rule method, global-qualified.</param>
/// <param name="Arguments">The operands in the callee's parameter order.</param>
/// <param name="Active">True when the target depends on a value that takes a gradient.</param>
internal sealed record TensorStep(string Target, DataType Type, TensorStepKind Kind, Expr Forward, string Function, string? Rule, EquatableArray<TensorArgument> Arguments, bool Active) : TensorNode
{
    /// <summary>For an Arithmetic step, its operator: + − · /, or − with one argument for a negation.</summary>
    public BinaryOp? Operator { get; init; }

    /// <summary>For a Rule step whose rule takes a residual: the forward companion the step calls, and the residual's name.</summary>
    public TensorResidual? Residual { get; init; }

    /// <summary>
    /// For a Rule step, true when the rule is a [Differentiable] method's generated pullback (<c>HuberBackward(x, dResult,
    /// ref dx)</c>), which takes no result argument; false for a [DerivativeRule].
    /// </summary>
    public bool Pullback { get; init; }

    /// <summary>For a Rule step whose rule is a sub-module's method (<c>this.Input.HuberBackward</c>): the sub-module; <see cref="TensorStep.Rule"/> is then the method's name.</summary>
    public Expr? RuleInstance { get; init; }
}

/// <summary>
/// The residual a rule step keeps for its rule (the softmax of a cross-entropy, dropout's mask): the forward sweep calls
/// <paramref name="Forward"/> instead of the function, which hands it out into the Tensor <paramref name="Name"/>; the
/// rule call reads it. It is kept per iteration in a loop and declared before a branch, like any value a step makes.
/// </summary>
/// <param name="Name">The local that holds it.</param>
/// <param name="Forward">The forward companion, global-qualified.</param>
internal sealed record TensorResidual(string Name, string Forward);

/// <summary>
/// <c>if</c>/<c>else</c> or <c>?:</c> on a value that takes no gradient (a <c>bool training</c> parameter, a depth): each
/// arm's steps, and the locals the arms assign, merged into one new version each after it.
/// </summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Condition">The condition; it takes no gradient and reads values that do not change later, so the backward sweep evaluates it again.</param>
/// <param name="Then">The steps of the arm taken when it is true.</param>
/// <param name="Else">The steps of the other arm.</param>
/// <param name="Merges">The values that leave the branch.</param>
internal sealed record TensorBranch(Expr Condition, EquatableArray<TensorNode> Then, EquatableArray<TensorNode> Else, EquatableArray<TensorMerge> Merges) : TensorNode
{
    /// <summary>The steps of both arms and of the branches inside them, in forward order.</summary>
    public System.Collections.Generic.IEnumerable<TensorStep> Steps => TensorProgram.StepsOf(Then).Concat(TensorProgram.StepsOf(Else));

    /// <summary>Every name the branch assigns: its merges and the targets of the steps in its arms (nested merges too).</summary>
    public System.Collections.Generic.IEnumerable<(string Name, DataType Type)> Assigned =>
        Merges.Select(m => (m.Target, m.Type)).Concat(TensorProgram.AssignedIn(Then.Concat(Else)));
}

/// <summary>
/// <c>for (int i = start; i &lt; end; i++)</c> (or counting down) with bounds that take no gradient: the body's steps run once per iteration;
/// the locals it assigns are carried from one iteration to the next in variables of their own. The forward sweep keeps
/// each iteration's values (the carried ones as the iteration starts, and the body's) for the backward sweep, which runs
/// the iterations last first.
/// </summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Counter">The loop variable's name.</param>
/// <param name="Start">Its first value.</param>
/// <param name="Comparison">How the counter compares with <paramref name="Bound"/> while the loop runs: &lt; or &lt;= counting up, &gt; or &gt;= counting down (by <see cref="Step"/>).</param>
/// <param name="Bound">The bound, as the user wrote it; it reads values the body does not change.</param>
/// <param name="Carried">The locals the body assigns.</param>
/// <param name="Body">The body's steps.</param>
internal sealed record TensorLoop(string Counter, Expr Start, BinaryOp Comparison, Expr Bound, EquatableArray<TensorCarried> Carried, EquatableArray<TensorNode> Body) : TensorNode
{
    /// <summary>True when the counter goes up (<c>i++</c>, <c>i += 2</c>).</summary>
    public bool Ascending => Comparison is BinaryOp.LessThan or BinaryOp.LessThanOrEqual;

    /// <summary>How much the counter goes up (or down) by each iteration: 1, or a larger constant.</summary>
    public int Step { get; init; } = 1;

    /// <summary>Every name the body assigns (the carried variables are declared before the loop, apart).</summary>
    public System.Collections.Generic.IEnumerable<(string Name, DataType Type)> Assigned => TensorProgram.AssignedIn(Body);
}

/// <summary>A local a loop's body assigns: a variable of its own, <paramref name="Name"/>, from <paramref name="Before"/> on.</summary>
/// <param name="Name">The variable that holds it through the loop and after it.</param>
/// <param name="Type">Its type: Tensor, float or double.</param>
/// <param name="Before">Its value as the loop starts.</param>
/// <param name="End">Its value at the end of the body (the next iteration's start).</param>
internal sealed record TensorCarried(string Name, DataType Type, TensorOperand Before, TensorOperand End);

/// <summary>A value leaving a branch: <paramref name="Target"/> is <paramref name="Then"/> after the first arm and <paramref name="Else"/> after the second.</summary>
/// <param name="Target">The new version's name, assigned at the end of each arm.</param>
/// <param name="Type">Its type.</param>
/// <param name="Then">Its value at the end of the first arm.</param>
/// <param name="Else">Its value at the end of the second arm.</param>
internal sealed record TensorMerge(string Target, DataType Type, TensorOperand Then, TensorOperand Else)
{
    public bool Active => Then.Active || Else.Active;
}

/// <summary>A trainable tensor field of the model type or of one of its sub-modules, read by the method.</summary>
/// <param name="Name">The field's name, with the sub-module's in front (<c>W1</c>, <c>Input.W</c>), for comments.</param>
/// <param name="Value">How the body reads it (<c>this.W1</c>, <c>this.Input.W</c>; <c>!</c> when declared nullable).</param>
/// <param name="GradientName">
/// The local that holds its gradient in the generated method (<c>dW1</c>, <c>dInput_W</c>); null for a field of a
/// sub-module held in an array, whose gradient is read where it is used.
/// </param>
/// <param name="GradientSource">The generated property holding its gradient (<c>this.dW1</c>, <c>this.Input.dW</c>).</param>
/// <param name="IsArray">True for a <c>Tensor[]</c> field: its gradient is a <c>Tensor[]</c> of the elements' gradients.</param>
internal sealed record TensorField(string Name, Expr Value, string? GradientName, Expr GradientSource, bool IsArray = false)
{
    /// <summary>
    /// For a field of a sub-module held in an array (<c>this.Blocks[i].W</c>), the array (<c>this.Blocks</c>): the
    /// gradient is read where it is used, and every element's is cleared.
    /// </summary>
    public Expr? EveryElementOf { get; init; }

    /// <summary>Its gradient as the backward sweep adds into it: the local, or the property itself.</summary>
    public Expr Gradient => GradientName is null ? GradientSource : new VariableExpr(GradientName, GradientSource.Type);
}

/// <summary>An element of a <c>Tensor[]</c> field or parameter read in tensor code (<c>this.W[i]</c>): its adjoint is the same element of the array's gradient.</summary>
/// <param name="Array">The array as the body reads it (<c>this.W</c>, <c>ws</c>).</param>
/// <param name="Index">The index (<c>i</c>).</param>
internal sealed record TensorElement(Expr Array, Expr Index);

/// <summary>A field of a model type that holds parameters: a trainable tensor, or a sub-module (a model of its own).</summary>
/// <param name="Name">The field's name, escaped where it is a keyword.</param>
/// <param name="IsModule">True for a sub-module: its own generated <c>Parameters</c> join the model's.</param>
/// <param name="IsArray">True for a <c>Tensor[]</c> field: each element is a parameter (<c>W[0]</c>, <c>W[1]</c>, …).</param>
internal sealed record ModelField(string Name, bool IsModule, bool IsArray = false);

/// <summary>The body of a [Differentiable] method over runtime tensors, as steps (and branches of steps).</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
/// <param name="Nodes">The steps and branches in forward order.</param>
/// <param name="Result">The value returned.</param>
/// <param name="Fields">Trainable tensor fields of this model the body reads (their gradients live in the model).</param>
/// <param name="ModelFields">Every trainable tensor field and sub-module of the model type, for its generated <c>Parameters</c> (empty for static methods).</param>
internal sealed record TensorProgram(EquatableArray<TensorNode> Nodes, TensorOperand Result, EquatableArray<TensorField> Fields, EquatableArray<ModelField> ModelFields)
{
    /// <summary>Every name the body assigns: step targets, branch merges and loop variables, those in branches and loops too.</summary>
    public System.Collections.Generic.IEnumerable<(string Name, DataType Type)> Assigned => AssignedIn(Nodes);

    public static System.Collections.Generic.IEnumerable<(string Name, DataType Type)> AssignedIn(System.Collections.Generic.IEnumerable<TensorNode> nodes) => nodes.SelectMany(n => n switch
    {
        TensorStep { Residual: { } residual } step => new[] { (step.Target, step.Type), (residual.Name, DataType.Tensor) },
        TensorStep step => new[] { (step.Target, step.Type) },
        TensorBranch branch => branch.Assigned,
        TensorLoop loop => loop.Carried.Select(c => (c.Name, c.Type)).Append((loop.Counter, DataType.Int)).Concat(loop.Assigned),
        _ => System.Linq.Enumerable.Empty<(string, DataType)>(),
    });

    /// <summary>
    /// The names the code around <paramref name="nodes"/> declares for them: the steps' values, those of branches (declared
    /// before the outermost branch, which its arms assign) and a loop's carried variables — not what a loop's body makes,
    /// which the body declares, nor its counter.
    /// </summary>
    public static System.Collections.Generic.IEnumerable<(string Name, DataType Type)> DeclaredIn(System.Collections.Generic.IEnumerable<TensorNode> nodes) => nodes.SelectMany(n => n switch
    {
        TensorBranch branch => branch.Merges.Select(m => (m.Target, m.Type)).Concat(DeclaredIn(branch.Then.Concat(branch.Else))),
        TensorLoop loop => loop.Carried.Select(c => (c.Name, c.Type)),
        _ => AssignedIn([n]),
    });

    /// <summary>Every step, those in branches too, in forward order.</summary>
    public System.Collections.Generic.IEnumerable<TensorStep> Steps => StepsOf(Nodes);

    public static System.Collections.Generic.IEnumerable<TensorStep> StepsOf(System.Collections.Generic.IEnumerable<TensorNode> nodes) => nodes.SelectMany(n => n switch
    {
        TensorStep step => new[] { step },
        TensorBranch branch => branch.Steps,
        TensorLoop loop => StepsOf(loop.Body),
        _ => System.Linq.Enumerable.Empty<TensorStep>(),
    });
}

/// <summary>A model type and its trainable tensor fields and sub-modules in declaration order, for the generated <c>Parameters</c>.</summary>
/// <remarks>Cached by Roslyn between edits: keep every member immutable and value-equatable.</remarks>
internal sealed record ModelParameters(TypeHierarchy Containing, EquatableArray<ModelField> Fields);
