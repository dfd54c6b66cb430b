"""The lesson, in the order a teacher gives it: one source for the notebook and the projected page.

Neuron -> network and layers -> the MNIST network with 784 inputs -> deep ->
backpropagation -> Mitchell's T, P and E -> the three paradigms -> cost
function -> overfitting and underfitting -> classification and regression ->
training, validation and test sets -> batch size -> epoch -> learning rate.

Each :class:`Step` has the idea in two sentences, a question for the class to
predict before the demo runs, the answer to read after it, and what runs: a
glossary term's demo, and where the lesson reaches a paradigm, a run of that
paradigm. ``examples/lesson.ipynb`` is written from these steps
(:mod:`glossary.lesson_notebook`), and ``paradigms lesson --out DIR`` renders
them as one page (:mod:`glossary.lesson_page`). The answers say what the
numbers show in general; each demo's own sentence (its ``finding``) gives the
numbers of the run in front of the class, computed from them.

>>> [step.term for step in STEPS][:4]
['neuron', 'neural-network', None, 'deep']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One section of the lesson."""

    key: str  # the anchor on the page
    title: str
    idea: str  # two sentences
    question: str  # asked before the demo runs
    answer: str  # read after it
    term: str | None = None  # the glossary term whose demo runs
    paradigm: str | None = None  # the paradigm whose run is shown here
    analogy: str = ""  # the lesson's own comparison, shown beside the idea
    lesson_says: str = ""  # the lesson's wording where the numbers contradict it (checked in :mod:`glossary.lesson_checks`)


STEPS: tuple[Step, ...] = (
    Step(
        "neuron", "A neuron",
        "A neuron multiplies each input by a weight, adds the products and a bias, and passes the sum "
        "through an activation function. Looking at a 28x28 image it has 784 weights, one per pixel, and a bias.",
        "One neuron is trained to answer 'is this a 3?'. About one digit in ten is a 3. How often do you think "
        "it is right on new images, and how often would always answering 'no' be right?",
        "Always answering 'no' is already right about nine times in ten, because nine digits in ten are not a "
        "3: that is the floor to beat. The one neuron beats it. Its weights, drawn as a 28x28 picture, show "
        "which pixels push its answer towards 'yes' (red) and which towards 'no' (blue).",
        term="neuron",
    ),
    Step(
        "network", "Network and layers",
        "Neurons side by side form a layer, and layers in a row form a network, each layer reading the "
        "outputs of the one before. A dense layer with m inputs and n neurons has m x n weights and n biases.",
        "A network 784 -> 32 -> 16 -> 10: how many parameters (weights and biases) does it have, and which "
        "layer holds most of them?",
        "(784 + 1) x 32 + (32 + 1) x 16 + (16 + 1) x 10 = 25,818 parameters, nearly all in the first layer, "
        "which reads every pixel. A test image goes in as 784 numbers and comes out as ten scores, one per "
        "digit; the largest is the network's answer.",
        term="neural-network",
    ),
    Step(
        "mnist-network", "The MNIST network: 784 inputs",
        "The supervised paradigm trains such a network on MNIST: 784 input neurons (one per pixel), hidden "
        "layers of 256 and 128 neurons, and ten output neurons. It learns from labelled training images and is "
        "tested once, at the end, on 10,000 images it has never seen.",
        "With the quick budget (a few epochs on part of the training images), what share of the test digits "
        "will it read correctly? Which digits will it mix up?",
        "Most of them: the sentence under the run gives the share. It is not comparable with the one neuron's "
        "score: the neuron answers yes or no ('is this a 3?', where always answering 'no' already scores about "
        "90%), while the network names one of ten digits, where guessing scores 10%. The figures show its "
        "learning curve, the confusion matrix (which digit it answered for which) and the test digits it got "
        "most confidently wrong, many of which a person would hesitate over too.",
        paradigm="supervised",
    ),
    Step(
        "deep", "Deep: the ten-layered network",
        "A network is deep when it has many hidden layers; the lesson's example has ten. Each layer can build "
        "on what the one before computed, but in training the error signal must travel back through all of them.",
        "A ten-layer network and a one-layer network with the same number of parameters get the same small "
        "training budget. Which reads more test digits correctly, and why?",
        "With a small budget the shallow network wins clearly. Before training, the gradient reaching the deep "
        "network's first layer is more than a thousand times weaker than at its output (the sentence gives the "
        "factor, the right-hand figure each layer): the error signal fades as it is passed back through layer "
        "after layer (the vanishing-gradient problem). Yet the first layers still learn: Adam scales each step "
        "to its own gradient, and the sentence measures how far each network's first layer moved. A deep network "
        "is harder to optimise; careful initialisation, normalisation and longer training are how deep networks "
        "overcome it.",
        term="deep",
    ),
    Step(
        "backpropagation", "Backpropagation",
        "Backpropagation finds how much each weight contributed to the cost by applying the chain rule from the "
        "output back to the first layer. Gradient descent then moves every weight a small step against its gradient.",
        "The gradients of a small network are computed twice: by hand with the chain rule, and by PyTorch's "
        "automatic differentiation. How close will they be? Will one step against them lower the cost?",
        "They agree to rounding error: automatic differentiation is the chain rule, done by the computer. One "
        "step against the gradients lowers the cost; training is that step, repeated.",
        term="backpropagation",
    ),
    Step(
        "mitchell", "Mitchell's definition: T, P and E",
        "Tom Mitchell: a program learns from experience E with respect to a task T and a performance measure P "
        "if its performance at T, as measured by P, improves with E. Every paradigm in this toolkit is run and "
        "reported in those three words.",
        "A small network reads 8x8 digits (T), is measured by its accuracy on test images (P) and sees labelled "
        "images ten at a time (E). Sketch P against E: where does it start, and how quickly does it rise?",
        "It starts near chance (10%) with no experience, rises steeply over the first few hundred images and "
        "then flattens. P improves with E, so the program learns in Mitchell's sense; the sentence under the "
        "figure checks that from the numbers rather than assuming it.",
        term="mitchell",
    ),
    Step(
        "supervised", "Supervised learning",
        "In supervised learning every training example comes with the right answer, its label. The learner is "
        "corrected by the difference between its answer and the label.",
        "The same learner is trained twice on the same images: once with the correct labels, once with the "
        "labels shuffled between the images. What test accuracy do you expect from each?",
        "With the correct labels it reads most test digits; with shuffled labels it stays at chance, about 10%. "
        "The labels are the feedback, and shuffled labels carry none.",
        term="supervised-learning",
    ),
    Step(
        "unsupervised", "Unsupervised learning",
        "In unsupervised learning there are no labels at all: the learner finds structure, such as groups of "
        "similar examples, in the data alone. Here it groups the customers of a generated shop by how they shop.",
        "The shop has six kinds of customers (bargain hunters, loyal regulars, ...), but the learner is never "
        "told. How many segments will it find, and how well will they match the hidden kinds?",
        "It finds about as many segments as there are hidden kinds, and they match well (an adjusted Rand index "
        "near 1, where 0 would be chance), without ever seeing a label: the kinds are brought out only "
        "afterwards, to check. The paradigm's run on a larger shop follows.",
        term="unsupervised-learning", paradigm="unsupervised",
    ),
    Step(
        "reinforcement", "Reinforcement learning",
        "In reinforcement learning an agent acts, and the environment answers with a new state and sometimes a "
        "reward. Nobody says which action was right: the agent learns by trial and error which actions earn reward.",
        "On a frozen lake the only reward comes at the goal. How often do random moves reach it? An agent that "
        "learned for 8,000 steps? The same agent with the reward taken away?",
        "Random moves rarely reach the goal; the rewarded agent learns a path and reaches it nearly every time; "
        "without the reward it learns nothing, since nothing tells it one move is better than another. The "
        "paradigm's run, an agent learning to balance a pole, follows.",
        term="reinforcement-learning", paradigm="reinforcement",
    ),
    Step(
        "cost-function", "Cost function",
        "A cost (or loss) function turns the predictions and the right answers into one number that says how "
        "wrong the model is. Learning means changing the weights to make that number smaller.",
        "A model gives the right class a probability of only 1%: a confident mistake. Which punishes it more, "
        "squared error or cross-entropy, and by how much compared with an unsure 50% guess?",
        "Squared error can never exceed 1, so the confident mistake costs less than 1; cross-entropy costs "
        "-log(0.01) = 4.6, several times the unsure guess, and pushes hardest exactly there. That is why "
        "classifiers are trained with cross-entropy.",
        term="cost-function",
    ),
    Step(
        "overfitting", "Overfitting",
        "A model overfits when it learns its training examples so closely, noise included, that it does worse on "
        "new ones. Training error keeps falling while validation error rises.",
        "Polynomials of degree 0 to 16 are fitted to 20 noisy points of a smooth wave. As the degree grows, what "
        "happens to the error on the 20 training points, and on 200 new points?",
        "Training error only falls: each degree can do all that the smaller ones can. Validation error falls to "
        "a middle degree and then climbs steeply: the most flexible curve threads through every noisy point and "
        "swings wildly between them.",
        term="overfitting",
    ),
    Step(
        "underfitting", "Underfitting",
        "A model underfits when it is too simple for the pattern, so it is wrong everywhere. Its training error "
        "and its validation error are both high, and close together.",
        "A straight line is fitted to the same wave. Is it better on the training points or on new ones, and how "
        "far from the noise level that even a perfect model would leave?",
        "About equally bad on both, far above the noise level: more capacity, not more data, is the cure.",
        term="underfitting",
        lesson_says="The lesson calls an underfitting model \"hungry for more data\".",
    ),
    Step(
        "classification", "Classification",
        "Classification predicts a category from a fixed list: which digit, spam or not. The model gives each "
        "class a probability, answers with the most likely one, and is measured by accuracy.",
        "A small network reads 8x8 digits. What accuracy does guessing get, and what do you expect from the "
        "network? Are its wrong answers as confident as its right ones?",
        "Guessing gets 10%; the network names nearly all test digits correctly, and its wrong answers come with "
        "a lower probability than its right ones. Each answer is simply right or wrong.",
        term="classification",
    ),
    Step(
        "regression", "Regression",
        "Regression predicts a quantity on a continuous scale: a price, a temperature, how far a disease "
        "progresses. The answer is a number, and the measure is how far off it is.",
        "From ten measurements of a diabetes patient, a network predicts how far the disease progresses in a "
        "year (a score from 25 to 346). How far off will it be on average, compared with always answering "
        "the average?",
        "Clearly closer than always answering the average, but far from perfect: R² (the share of the "
        "differences between patients it explains) is well below 1, because ten measurements do not settle a "
        "patient's future. A regression answer is never right or wrong, only nearer or further.",
        term="regression",
    ),
    Step(
        "training-set", "Training set",
        "The training set is the part of the data the model learns from. A score measured on it flatters the "
        "model, because the model has seen those examples.",
        "A model chosen among 40 candidates is fitted on 300 training images. Will it score higher on those "
        "images or on 1,297 new ones, and by how much?",
        "Higher on its training images, by several percentage points over 200 random splits: that is why "
        "examples are held back.",
        term="training-set",
        analogy="The training set is the lecture: what the students learn from, with the answers given.",
    ),
    Step(
        "validation-set", "Validation set",
        "The validation set is held back from training and used to make choices: which model, which settings, "
        "when to stop. Choices made on it leave the test set untouched.",
        "The 40 candidates are compared on a validation set of 100 images and the best is kept; its accuracy is "
        "then measured once on the test set. Will that test score be too high, too low, or about right?",
        "About right on average over 200 random splits, yet any one split can be off by several points: a "
        "100-image test set is a noisy ruler, but not a biased one.",
        term="validation-set",
        analogy="The validation set is the sample exam questions: students practise on them to decide how to "
        "revise, so they are no longer a fair measure of what was learned.",
    ),
    Step(
        "test-set", "Test set",
        "The test set is kept aside until the end and used once, to report how good the finished model is. If "
        "it influences any choice, the report becomes optimistic.",
        "Now the 40 candidates are compared on the test set itself and the winner's test score is reported. Is "
        "the report too high? Is the chosen model better on new data than the honestly chosen one?",
        "The report is too high, by several points on average and in most splits: picking the best of 40 noisy "
        "scores picks luck as well as skill. And the model is no better: on new data the two chosen models do "
        "about equally well. Peeking at the test set does not improve the model; it makes the report wrong.",
        term="test-set",
        analogy="The test set is the exam itself: sat once, at the end. A student who saw the exam questions "
        "beforehand gets a grade that no longer says what they know.",
    ),
    Step(
        "batch-size", "Batch size",
        "The batch size is how many examples the network looks at before each weight update. One epoch of N "
        "examples takes ceil(N / batch size) updates.",
        "Batches of 4 and of 256 examples: which learns more in 3 epochs? Which in 250 updates? Which epoch "
        "takes longer?",
        "In 3 epochs batch 4 learns far more: 250 updates per epoch against 4, and batch 256 has barely left the "
        "untrained level. In 250 updates batch 256 gets further, but it has read 62.5 times more examples "
        "(62.5 epochs against one). An epoch of batch 4 takes much longer, since every update has its "
        "overhead, and its loss jitters more from step to step.",
        term="batch-size",
    ),
    Step(
        "epoch", "Epoch",
        "An epoch is one complete pass over the training set, and training runs for several. Early stopping "
        "keeps the weights of the epoch with the lowest validation loss.",
        "A network trains for 50 epochs on 200 digits, a fifth of whose labels were deliberately made wrong. "
        "Sketch the training loss and the validation loss against the epoch: do both keep falling?",
        "Training loss falls towards zero: the network ends up memorising even the wrong labels. Validation "
        "loss falls for the first epochs, reaches its lowest point and then rises: that is where early "
        "stopping stops. With every label correct (the dotted line) it rises much less.",
        term="epoch",
    ),
    Step(
        "learning-rate", "Learning rate",
        "The learning rate sets how far each gradient-descent step moves the weights. Too small and training "
        "crawls; too large and each step overshoots until the cost blows up.",
        "Four learning rates, 0.02, 0.5, 1.6 and 2.1, on a cost bowl whose largest stable rate is 2. Which "
        "reach the bottom in 30 steps, and what does 2.1 do?",
        "0.02 creeps and is still far from the bottom; 0.5 and 1.6 reach it (1.6 zig-zags across the bowl); "
        "2.1, just past the limit, overshoots further at every step and diverges.",
        term="learning-rate",
    ),
)


def word_count(steps: tuple[Step, ...] = STEPS) -> int:
    """The words (glossary terms) a lesson teaches; a term two sections show counts once."""
    return len({step.term for step in steps if step.term})


def subtitle(steps: tuple[Step, ...] = STEPS) -> str:
    """The lesson's subtitle, counted from its steps: words (glossary terms) and sections are not the same count."""
    words = word_count(steps)
    runs = sum(step.paradigm is not None for step in steps)
    return (
        f"{words} words of an introductory lesson on machine learning, in {len(steps)} sections: each word with a "
        f"small real demo, and {runs} sections with a whole run of a paradigm"
    )


def step_for(term: str) -> Step:
    """The step that teaches glossary term ``term`` (by slug)."""
    for step in STEPS:
        if step.term == term:
            return step
    raise KeyError(term)
