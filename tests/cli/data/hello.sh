echo "Hello from sh"
