import numpy as np
from keras.models import Model
from keras.layers import *

inp = Input(shape=(28, 28))
x = Lambda(lambda t: t / 255.0)(inp)
x = Reshape((28, 28, 1))(x)
x = Conv2D(8, (3, 3), activation="relu", padding="same")(x)
x = MaxPooling2D((2, 2))(x)
x = GRU(32)(Reshape((14, 14 * 8))(x))
out = Dense(10, activation="softmax")(x)
model = Model(inp, out)
model.compile("adam", "sparse_categorical_crossentropy")
X = np.random.randint(0, 255, size=(32, 28, 28)).astype("float32")
y = np.random.randint(0, 10, size=(32,))
model.fit(X, y, epochs=1, verbose=0)
print("OUTPUT_SHAPE", model.predict(X[:2], verbose=0).shape)
